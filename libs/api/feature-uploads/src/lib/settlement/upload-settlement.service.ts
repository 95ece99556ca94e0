import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable } from '@nestjs/common';
import {
  UploadsRepository,
  type Owner,
  type Upload,
  type UploadRowUpdate,
} from '@dropgate/api/data-access-db';
import { uploadNotFound, uploadNotPending, uploadSettling } from '../upload-errors';
import { backoffMs, withHeartbeat } from '@dropgate/api/util-jobs';
import { countUploadSettled } from '@dropgate/api/util-metrics';
import { STAGING_NEEDED, nextStatus, type UploadEvent } from '../upload-lifecycle';
import { uploadEvent } from './upload-event';

/**
 * How long a settler holds an upload without renewing it. The lease is renewed every
 * RENEW_EVERY_MS while the storage work runs (a 1 GiB scan, a 10-minute join), so an instance
 * that dies mid-work frees its uploads within a minute, not after the slowest work's time.
 */
export const SETTLING_LEASE_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
/** Backoff for a background settler whose work failed (storage or scanner down): 5 s to 10 min. */
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 10 * 60_000;
/** A POST already under way when its policy expired may still land this long after. */
export const SWEEP_GRACE_MS = 60_000;

/** What settling decided, once its storage work is done. */
export interface Settled {
  event: UploadEvent;
  fields?: Omit<UploadRowUpdate, 'status' | 'id' | 'settling_owner' | 'settling_until'>;
  /**
   * Undoes the storage work when the outcome could not be written: the lease ran out and another
   * settler moved the upload to `current`.
   */
  undo?: (current: Upload) => Promise<void>;
}

/** The storage work of one way of settling: complete, cancel, delete, expire. */
export type SettleWork = (upload: Upload) => Promise<Settled>;

/**
 * The one path every status change of an upload takes once it exists: complete, multipart
 * complete, delete, the reconciler, the scanner and a release. It claims the row first (a
 * settling lease), does the storage work outside any transaction, then writes the outcome through
 * the lifecycle table, with the event that tells subscribers, only if it still holds the lease. A second settler meanwhile gets 409 `upload.settling` rather
 * than a success for something it did not do, and a settler whose lease ran out undoes its work.
 */
@Injectable()
export class UploadSettlement {
  /** This instance's name on the leases it takes. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  constructor(private readonly uploads: UploadsRepository) {}

  /** The end of a lease taken now. */
  leaseEnd(): Date {
    return new Date(Date.now() + SETTLING_LEASE_MS);
  }

  /** When a background settler should try `claimed` again after its work failed, with backoff. */
  retryAt(claimed: Upload): Date {
    return new Date(Date.now() + backoffMs(claimed.settle_attempts + 1, RETRY_BASE_MS, RETRY_MAX_MS));
  }

  /** Frees the leases of claimed uploads this instance will not settle after all (it is stopping). */
  async giveBack(claimed: readonly Upload[]): Promise<void> {
    await this.uploads.releaseAll(
      claimed.map((upload) => upload.id),
      this.holder,
    );
  }

  /**
   * Claims the upload in its current status, then finishes it with `work`. 409 `upload.settling`
   * while another settler holds it; the upload as it now is when its status moved on meanwhile.
   */
  async settle(upload: Upload, work: SettleWork): Promise<Upload> {
    const claimed = await this.uploads.claim(upload.id, [upload.status], this.holder, this.leaseEnd());
    if (!claimed) {
      const current = await this.uploads.findById(upload.id);
      if (!current) throw uploadNotFound();
      if (current.status === upload.status) throw uploadSettling();
      return current;
    }
    return this.finish(claimed, work);
  }

  /**
   * `settle` in one statement fewer, for the case that is nearly always so: claims the owner's
   * upload while it is in one of `statuses` and finishes it with `work`. Undefined when the claim
   * takes nothing (no such upload of this owner, another status, another settler holds it): the
   * caller then looks at the upload, and `settle` says which.
   */
  async settleOwned(
    id: string,
    owner: Owner,
    statuses: readonly Upload['status'][],
    work: SettleWork,
  ): Promise<Upload | undefined> {
    const claimed = await this.uploads.claim(id, statuses, this.holder, this.leaseEnd(), owner);
    return claimed && this.finish(claimed, work);
  }

  /**
   * Does `work` on an upload this instance holds and writes its outcome. When the work fails the
   * lease is freed, from `retryAt` on (at once by default), and the error goes on.
   */
  async finish(claimed: Upload, work: SettleWork, retryAt: Date | null = null): Promise<Upload> {
    let outcome: Settled;
    try {
      // A renewal that fails (the database is down, the lease was lost) changes nothing here: the
      // outcome is then written only if the lease is still this instance's, else undone.
      outcome = await withHeartbeat(
        () => work(claimed),
        RENEW_EVERY_MS,
        () => this.uploads.renew(claimed.id, this.holder, this.leaseEnd()),
      );
    } catch (error) {
      await this.uploads.release(claimed.id, this.holder, retryAt).catch(() => undefined);
      throw error;
    }
    const to = nextStatus(claimed.status, outcome.event);
    if (!to) {
      await this.uploads.release(claimed.id, this.holder, null);
      throw uploadNotPending(`An upload that is ${claimed.status} cannot be ${outcome.event}`);
    }
    const fields = { ...outcome.fields, ...sweepOnce(claimed, to) };
    const event = uploadEvent({ ...claimed, ...fields } as Upload, claimed.status, to);
    const written = await this.uploads.settle(claimed.id, this.holder, to, fields, event);
    if (written) {
      // Deleting twice writes `deleted` again: only a change of status is an outcome reached.
      if (claimed.status !== to) countUploadSettled(claimed.method, to);
      return written;
    }
    const current = await this.uploads.findById(claimed.id);
    if (!current) throw uploadNotFound();
    await outcome.undo?.(current);
    return current;
  }
}

/**
 * When an upload leaves the statuses that need its staged object, the time from which it can be
 * deleted: once no policy (or part URL) can write it again, since a saved one could.
 */
function sweepOnce(claimed: Upload, to: Upload['status']): { sweep_after?: Date } {
  if (!claimed.staging_key || STAGING_NEEDED.includes(to) || !STAGING_NEEDED.includes(claimed.status))
    return {};
  const writableUntil =
    claimed.method === 'post' ? Math.max(claimed.expires_at.getTime(), Date.now()) : Date.now();
  return { sweep_after: new Date(writableUntil + SWEEP_GRACE_MS) };
}
