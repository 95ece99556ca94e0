import type { UploadRecord } from '@dropgate/shared/api-contract';
import { heldText } from '../rejection-reasons';
import { UploadError, rejectionError } from '../upload-error';
import type { UploadState } from '../upload-state';

/** What a record means for its file: a state to show and words to say aloud, or why it failed. */
export type UploadOutcome = { state: UploadState; says: string } | { error: UploadError };

/**
 * A file's outcome from its record, as complete or a scan watch answers it: still scanning,
 * stored, blocked, held, or a failure a person may retry. A status that should not come back here
 * (the upload was deleted meanwhile, say) is a failure too, so that nothing waits for ever.
 */
export function outcomeOf(fileName: string, record: UploadRecord): UploadOutcome {
  switch (record.status) {
    case 'scanning':
      return { state: { status: 'scanning' }, says: `${fileName}: checking for viruses` };
    case 'available':
      return { state: { status: 'done', key: record.key, uploadId: record.id }, says: `${fileName} stored` };
    case 'infected': {
      const signature = record.signature ?? 'unknown signature';
      return {
        state: { status: 'infected', signature },
        says: `${fileName} blocked: malware found (${signature})`,
      };
    }
    case 'held': {
      const reason = heldText(record.reason);
      return { state: { status: 'held', reason }, says: `${fileName} held for review: ${reason}` };
    }
    case 'rejected':
      return { error: rejectionError(record.reason) };
    case 'pending':
    case 'expired':
    case 'canceled':
    case 'deleted':
      return {
        error: new UploadError('invalid-request', `Not stored: the upload is ${record.status} — retry`),
      };
    default: {
      const unknown: never = record.status;
      throw new Error(`Unhandled upload status ${String(unknown)}`);
    }
  }
}
