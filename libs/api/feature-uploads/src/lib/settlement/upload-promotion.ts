import { Inject, Injectable } from '@nestjs/common';
import { S3Objects, S3Promotion, type StoredObject } from '@dropgate/api/data-access-s3';
import { SCANNER, type ClamdClient } from '@dropgate/api/data-access-clamav';
import type { Upload } from '@dropgate/api/data-access-db';
import { STAGING_NEEDED } from '../upload-lifecycle';
import { stagedKey } from '../object-key';
import type { Settled } from './upload-settlement.service';

type Fields = NonNullable<Settled['fields']>;

/**
 * The last step of settling a verified upload: the server copies the staged object to the final
 * key, which no client can write, only while it still has the ETag that was checked. An object
 * written again after its check is rejected, and neither copy is kept. The staged copy of an
 * upload made available stays until the staging sweep (`sweep_after`), which must come anyway:
 * the upload's policy can write its staging key again until it expires. The sweep deletes many
 * in one request, where deleting each at once as well cost every complete a request of its own.
 */
@Injectable()
export class UploadPromotion {
  constructor(
    private readonly objects: S3Objects,
    private readonly copier: S3Promotion,
    @Inject(SCANNER) private readonly scanner: ClamdClient | null,
  ) {}

  /** Whether verified uploads wait for the scanner (`scanning`) before they are promoted. */
  get scans(): boolean {
    return this.scanner !== null;
  }

  /**
   * What a verified upload becomes: `scanning`, or, when the deployment scans with a scanner of
   * its own, `available` at once. `stored` is the staged object as the check just read it.
   */
  async admit(upload: Upload, stored: StoredObject, fields: Fields): Promise<Settled> {
    const etag = stored.etag ?? '';
    if (!this.scans) return this.promote({ ...upload, etag }, { ...fields, etag, scan: 'disabled' }, stored);
    return {
      event: 'verified',
      fields: { ...fields, etag },
      // Another settler moved the upload on meanwhile; the staged object is theirs to keep only
      // while they still need it.
      undo: async (current) => {
        if (!STAGING_NEEDED.includes(current.status) && current.status !== 'available') {
          await this.objects.delete(stagedKey(upload));
        }
      },
    };
  }

  /**
   * Copies the upload's verified staged object to its key; the staging sweep deletes the staged
   * one. `checked`: the staged object as read with the upload's ETag just before, which spares the
   * copy a HEAD.
   */
  async promote(upload: Upload, fields: Fields, checked?: StoredObject): Promise<Settled> {
    const from = stagedKey(upload);
    if (from !== upload.key) {
      const outcome = await this.copier.promote({
        from,
        to: upload.key,
        etag: upload.etag ?? '',
        size: upload.size,
        contentType: upload.content_type,
        source: checked && { contentType: checked.contentType },
      });
      if (outcome === 'changed') {
        return (await this.alreadyPromoted(upload)) ? this.promoted(upload, fields) : this.changed(upload);
      }
    }
    return this.promoted(upload, fields);
  }

  /** The outcome of a promotion done: `available`, and the final object removed if that cannot be written. */
  promoted(upload: Upload, fields: Fields): Settled {
    return {
      event: 'promoted',
      fields,
      undo: async (current) => {
        if (current.status !== 'available') await this.objects.delete(upload.key);
      },
    };
  }

  /**
   * Whether an earlier settler already promoted the upload but could not write its outcome (it
   * died, or the database went away after the copy): the staged object is gone and the final key,
   * which only the server writes, holds an object of the upload's size. Taking that for a changed
   * object would delete a file that was checked and scanned. (Promotion now leaves the staged
   * object to the sweep, which comes only after the outcome is written; an instance of an earlier
   * release deleted it straight after the copy.)
   */
  async alreadyPromoted(upload: Upload): Promise<boolean> {
    if (stagedKey(upload) === upload.key) return false;
    const [final, staged] = await Promise.all([
      this.objects.head(upload.key),
      this.objects.head(stagedKey(upload)),
    ]);
    return final !== undefined && final.size === upload.size && staged === undefined;
  }

  /**
   * The staged object is no longer the one that was verified: both it and anything under the
   * final key go, and the upload is rejected.
   */
  async changed(upload: Upload): Promise<Settled> {
    await this.objects.delete(stagedKey(upload));
    if (stagedKey(upload) !== upload.key) await this.objects.delete(upload.key);
    return {
      event: 'rejected',
      fields: {
        status_reason: 'changed_after_verification',
        completed_at: upload.completed_at ?? new Date(),
      },
    };
  }
}
