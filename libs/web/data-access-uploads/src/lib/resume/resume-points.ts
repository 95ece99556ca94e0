import { Injectable, InjectionToken, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { CreatedMultipartUpload, UploadRecord } from '@dropgate/shared/api-contract';
import { isPlannedPart, planOf } from '@dropgate/shared/util-parts';
import { isUploadGone } from '../upload-error';
import { UploadTransport } from '../upload-transport';
import { fileFingerprint } from './file-fingerprint';
import { RESUME_OWNER } from './resume-owner';
import { ResumeStore, type ResumePoint } from './resume-store';

/** How a file is recognised across reloads (`fileFingerprint`; tests give a plain one). */
export const FILE_FINGERPRINT = new InjectionToken<(file: File) => Promise<string>>('FILE_FINGERPRINT', {
  factory: () => fileFingerprint,
});

/** A multipart upload of this file that storage still holds in part. */
export interface ResumeOffer {
  upload: CreatedMultipartUpload;
  storedBytes: number;
}

/** An upload left unfinished by an earlier visit, for the page to mention. */
export interface UnfinishedUpload {
  point: ResumePoint;
  storedBytes: number;
}

/**
 * Multipart uploads remembered across reloads, by the signed-in person and file fingerprint. A
 * remembered upload is offered only to the person who began it, and only while the API still has
 * it pending; one it no longer has is forgotten.
 */
@Injectable()
export class ResumePoints {
  private readonly store = inject(ResumeStore);
  private readonly transport = inject(UploadTransport);
  private readonly fingerprintOf = inject(FILE_FINGERPRINT);
  private readonly ownerOf = inject(RESUME_OWNER);
  private readonly fingerprints = new WeakMap<File, Promise<string>>();

  /** Remembers a new multipart upload of `file`. */
  async save(file: File, upload: CreatedMultipartUpload): Promise<void> {
    const owner = this.ownerOf();
    if (!owner) return;
    await this.store.put({
      owner,
      fingerprint: await this.fingerprint(file),
      recordId: upload.id,
      partSize: upload.partSize,
      fileName: file.name,
      size: file.size,
      savedAt: Date.now(),
    });
  }

  async forget(file: File): Promise<void> {
    const owner = this.ownerOf();
    if (owner) await this.store.delete(owner, await this.fingerprint(file));
  }

  /** The remembered upload of this very file, if the API still has it pending. */
  async find(file: File): Promise<ResumeOffer | undefined> {
    const owner = this.ownerOf();
    if (!owner) return undefined;
    const point = await this.store.get(owner, await this.fingerprint(file));
    if (!point || point.size !== file.size) return undefined;
    const found = await this.check(point);
    return found && { upload: toUpload(found.record), storedBytes: found.storedBytes };
  }

  /** Every remembered upload the API still has pending, with the bytes storage holds. */
  async unfinished(): Promise<UnfinishedUpload[]> {
    const owner = this.ownerOf();
    if (!owner) return [];
    const points = await this.store.list(owner);
    const checked = await Promise.all(
      points.map(async (point) => {
        const found = await this.check(point).catch(() => undefined);
        return found && { point, storedBytes: found.storedBytes };
      }),
    );
    return checked.filter((u): u is UnfinishedUpload => u !== undefined);
  }

  /** Cancels a remembered upload at the API (which aborts it at storage) and forgets it. */
  async discard(point: ResumePoint): Promise<void> {
    await firstValueFrom(this.transport.discard(point.recordId)).catch(() => undefined);
    await this.store.delete(point.owner, point.fingerprint);
  }

  private async check(
    point: ResumePoint,
  ): Promise<{ record: UploadRecord; storedBytes: number } | undefined> {
    try {
      const record = await firstValueFrom(this.transport.get(point.recordId));
      if (record.status !== 'pending' || record.method !== 'multipart' || !record.partSize) {
        await this.store.delete(point.owner, point.fingerprint);
        return undefined;
      }
      const plan = planOf(record.size, record.partSize);
      const { parts } = await firstValueFrom(this.transport.listParts(record.id));
      const storedBytes = parts
        .filter((p) => isPlannedPart(record.size, plan, p))
        .reduce((sum, p) => sum + p.size, 0);
      return { record, storedBytes };
    } catch (error) {
      // Gone (404), or no longer taking parts (409): the API will not resume it, so neither do we.
      if (isUploadGone(error)) {
        await this.store.delete(point.owner, point.fingerprint);
        return undefined;
      }
      throw error;
    }
  }

  private fingerprint(file: File): Promise<string> {
    let fingerprint = this.fingerprints.get(file);
    if (!fingerprint) {
      fingerprint = this.fingerprintOf(file);
      this.fingerprints.set(file, fingerprint);
    }
    return fingerprint;
  }
}

function toUpload(record: UploadRecord): CreatedMultipartUpload {
  return {
    id: record.id,
    key: record.key,
    status: 'pending',
    method: 'multipart',
    partSize: record.partSize ?? 0,
    partCount: record.partCount ?? 0,
    expiresAt: record.expiresAt,
  };
}
