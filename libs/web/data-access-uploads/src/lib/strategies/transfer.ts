import type { Observable } from 'rxjs';
import type { CreatedUpload } from '@dropgate/shared/api-contract';
import type { TransferSlots } from '../transfer-slots';

/** What a strategy reports while sending a file's bytes: progress, then that storage has them all. */
export type TransferEvent = { type: 'progress'; loaded: number; total: number } | { type: 'stored' };

/** One file's transfer: the upload the API created (or the one kept to resume), and the slots it shares. */
export interface TransferJob {
  /** The queue item, which owns the slots its transfers take. */
  owner: string;
  file: File;
  upload: CreatedUpload;
  slots: TransferSlots;
  /**
   * Multipart only: the parts completion found missing, to send again whatever a listing says;
   * without it, the strategy sends every part storage does not list.
   */
  parts?: readonly number[];
}

/**
 * How a file's bytes reach storage once the API has recorded its upload. The queue schedules;
 * a strategy sends. Unsubscribing aborts every request in flight.
 */
export interface UploadStrategy {
  transfer(job: TransferJob): Observable<TransferEvent>;
}
