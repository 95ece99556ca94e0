import { Readable } from 'node:stream';
import { Logger } from '@nestjs/common';
import type { PromotionRequest, S3Objects, S3Promotion } from '@dropgate/api/data-access-s3';
import {
  DirectScanTransfer,
  ScannerUnavailableError,
  type ClamdClient,
  type ScanVerdict,
} from '@dropgate/api/data-access-clamav';
import type { Upload } from '@dropgate/api/data-access-db';
import { metricsRegistry } from '@dropgate/api/util-metrics';
import { UploadSettlement } from '../settlement/upload-settlement.service';
import { UploadPromotion } from '../settlement/upload-promotion';
import { OneRowRepository } from '../settlement/testing/one-row-repository';
import type { UploadsSettings } from '../uploads.config';
import { ScanWorker } from './scan-worker';

const scanning = {
  id: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55',
  status: 'scanning',
  key: 'uploads/seg/2026/11/29/id/a.txt',
  staging_key: 'incoming/seg/2026/11/29/id/a.txt',
  etag: 'abc',
  size: 10,
  content_type: 'text/plain',
  method: 'post',
  expires_at: new Date(Date.now() + 60_000),
  completed_at: new Date(),
  created_at: new Date(),
  deleted_at: null,
  file_name: 'a.txt',
  owner_issuer: 'https://idp.example',
  owner_subject: 'alice',
  owner_name: null,
  status_reason: null,
  md5: null,
  settling_owner: null,
  settling_until: null,
  settle_attempts: 0,
} as unknown as Upload;

/** The scans counted so far with `result`, and how many were timed, as the metrics port shows them. */
async function scansCounted(result: string) {
  const text = await metricsRegistry.metrics();
  const value = (series: string) =>
    Number(new RegExp(`^${series}\\{result="${result}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: value('dropgate_scans_total'), timed: value('dropgate_scan_duration_seconds_count') };
}

function setUp(
  verdict: () => Promise<ScanVerdict>,
  { etag = 'abc', maxBytes = 1000, oversize = 'hold' } = {},
) {
  const repository = new OneRowRepository(scanning);
  const objects = new Map<string, string>([[scanning.staging_key as string, etag]]);
  const deleted: string[] = [];
  const fakeObjects = {
    read: async (key: string, expected: string) =>
      objects.get(key) === expected
        ? { status: 'found', body: Readable.from([Buffer.from('0123456789')]), size: 10 }
        : { status: objects.has(key) ? 'changed' : 'missing' },
    head: async (key: string) =>
      objects.has(key) ? { size: scanning.size, etag: objects.get(key) } : undefined,
    delete: async (key: string) => {
      deleted.push(key);
      objects.delete(key);
    },
  } as unknown as S3Objects;
  const copier = {
    promote: async ({ from, to, etag: expected }: PromotionRequest) => {
      if (objects.get(from) !== expected) return 'changed';
      objects.set(to, expected);
      return 'copied';
    },
  } as unknown as S3Promotion;
  const scanner = { scan: jest.fn(verdict) } as unknown as ClamdClient;
  const settlement = new UploadSettlement(repository.repository);
  const sut = new ScanWorker(
    repository.repository,
    fakeObjects,
    settlement,
    new UploadPromotion(fakeObjects, copier, scanner),
    new DirectScanTransfer((job, signal) => fakeObjects.read(job.key, job.etag, signal, job.size), scanner),
    { scan: { maxBytes, oversize, concurrency: 1 } } as UploadsSettings,
  );
  return { sut, repository, objects, deleted, scanner };
}

describe('ScanWorker', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('should promote a clean upload to its key, leaving the staged object to the staging sweep', async () => {
    const { sut, repository, objects, deleted } = setUp(async () => ({ kind: 'clean' }));
    expect(await sut.scanDue()).toBe(1);
    expect(repository.row).toMatchObject({ status: 'available', scan: 'clean', settling_owner: null });
    expect([...objects.keys()].sort()).toEqual([scanning.key, scanning.staging_key].sort());
    expect(deleted).toEqual([]);
    expect(repository.row.sweep_after?.getTime()).toBeGreaterThan(Date.now());
  });

  it('should hand clamd one file to scan at a time at UPLOAD_SCAN_CONCURRENCY=1: the next waits for its turn', async () => {
    const { sut, scanner } = setUp(async () => ({ kind: 'clean' }));
    await sut.scanDue();
    const [[, , turn]] = (scanner.scan as jest.Mock).mock.calls as [
      [unknown, unknown, () => Promise<() => void>],
    ];
    const first = await turn();
    let second: (() => void) | undefined;
    const waiting = turn().then((release) => (second = release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(second).toBeUndefined();
    first();
    await waiting;
    expect(second).toEqual(expect.any(Function));
    second?.();
  });

  it('should mark an infected upload with its signature and delete the staged object', async () => {
    const { sut, repository, objects } = setUp(async () => ({ kind: 'infected', signature: 'Eicar-Test' }));
    await sut.scanDue();
    expect(repository.row).toMatchObject({ status: 'infected', status_reason: 'Eicar-Test' });
    expect(objects.size).toBe(0);
  });

  it('should hold what the scanner could not judge, keeping the staged object for review', async () => {
    const { sut, repository, objects } = setUp(async () => ({
      kind: 'held',
      reason: 'encrypted',
      detail: 'Heuristics.Encrypted.Zip',
    }));
    await sut.scanDue();
    expect(repository.row).toMatchObject({ status: 'held', status_reason: 'encrypted' });
    expect([...objects.keys()]).toEqual([scanning.staging_key]);
  });

  it('should leave the upload scanning, with a later retry, when clamd gives no verdict', async () => {
    const { sut, repository, objects } = setUp(async () => {
      throw new ScannerUnavailableError('connection_reset', 'clamd reset the connection');
    });
    await sut.scanDue();
    expect(repository.row).toMatchObject({ status: 'scanning', settling_owner: null });
    expect(repository.row.settling_until?.getTime()).toBeGreaterThan(Date.now());
    expect(objects.has(scanning.key)).toBe(false);
  });

  it('should reject an upload whose staged object changed since its check, keeping nothing', async () => {
    const { sut, repository, objects, scanner } = setUp(async () => ({ kind: 'clean' }), { etag: 'other' });
    await sut.scanDue();
    expect(repository.row).toMatchObject({ status: 'rejected', status_reason: 'changed_after_verification' });
    expect(objects.size).toBe(0);
    expect(scanner.scan).not.toHaveBeenCalled();
  });

  it('should record a promotion an earlier settler did but could not write, deleting nothing', async () => {
    const { sut, repository, objects, deleted, scanner } = setUp(async () => ({ kind: 'clean' }));
    // The settler before copied and deleted the staged object, then the database went away.
    objects.set(scanning.key, 'abc');
    objects.delete(scanning.staging_key as string);
    await sut.scanDue();
    expect(repository.row).toMatchObject({ status: 'available', scan: 'clean' });
    expect([...objects.keys()]).toEqual([scanning.key]);
    expect(deleted).toEqual([]);
    expect(scanner.scan).not.toHaveBeenCalled();
  });

  it.each([
    ['hold', { status: 'held', status_reason: 'too_large_to_scan' }],
    ['allow', { status: 'available', scan: 'skipped' }],
  ])('should not send a file over the limit to clamd (oversize=%s)', async (oversize, expected) => {
    const { sut, repository, scanner } = setUp(async () => ({ kind: 'clean' }), { maxBytes: 9, oversize });
    await sut.scanDue();
    expect(repository.row).toMatchObject(expected);
    expect(scanner.scan).not.toHaveBeenCalled();
  });

  it.each([
    ['clean', async () => ({ kind: 'clean' }) as ScanVerdict],
    ['infected', async () => ({ kind: 'infected', signature: 'Eicar-Test' }) as ScanVerdict],
    [
      'unavailable',
      async (): Promise<ScanVerdict> => {
        throw new ScannerUnavailableError('connection_refused', 'clamd is not listening');
      },
    ],
    [
      'error',
      async (): Promise<ScanVerdict> => {
        throw new Error('the staged object stopped streaming');
      },
    ],
  ])('should count and time a scan that came to %s', async (result, verdict) => {
    const before = await scansCounted(result);
    const { sut } = setUp(verdict);
    await sut.scanDue();
    expect(await scansCounted(result)).toEqual({ count: before.count + 1, timed: before.timed + 1 });
  });

  it('should time nothing when no scan was sent to clamd', async () => {
    const before = await scansCounted('held');
    const { sut } = setUp(async () => ({ kind: 'clean' }), { maxBytes: 9 });
    await sut.scanDue();
    expect(await scansCounted('held')).toEqual(before);
  });
});
