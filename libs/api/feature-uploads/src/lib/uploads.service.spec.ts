import type {
  ListedPart,
  MultipartTarget,
  PartUrlRequest,
  PostPolicyRequest,
  PromotionRequest,
  S3Multipart,
  S3Objects,
  S3Presigner,
  S3Promotion,
  SignedPostPolicy,
  StoredObject,
} from '@dropgate/api/data-access-s3';
import type { ClamdClient } from '@dropgate/api/data-access-clamav';
import type { InsertManyResult, Owner, Upload, UploadsRepository } from '@dropgate/api/data-access-db';
import type { NewUploadRow } from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import type { PresignedPostRequest, Principal } from '@dropgate/shared/api-contract';
import { UploadsService } from './uploads.service';
import { UploadCompletionService } from './upload-completion.service';
import { UploadSettlement } from './settlement/upload-settlement.service';
import { UploadPromotion } from './settlement/upload-promotion';
import type { ScanWorker } from './scanning/scan-worker';
import { UploadRecordsService } from './upload-records.service';
import { MultipartUploadsService } from './multipart-uploads.service';
import { multipartEtag } from './upload-verification';
import { principalSegment } from './principal-segment';
import type { UploadsSettings } from './uploads.config';

class FakePresigner {
  readonly calls: PostPolicyRequest[] = [];
  async presignPost(request: PostPolicyRequest): Promise<SignedPostPolicy> {
    this.calls.push(request);
    return {
      url: 'http://s3.test/bucket',
      fields: { key: request.key },
      expiresAt: new Date('2026-11-24T10:05:00Z'),
    };
  }
}

/** Records in memory, with the repository's contract: conditional status moves, a quota check. */
class FakeRepository {
  readonly rows = new Map<string, Upload>();
  private store(row: NewUploadRow): void {
    const upload = {
      // What the database fills in.
      settling_owner: null,
      settling_until: null,
      settle_attempts: 0,
      sweep_after: null,
      scan: null,
      released_by: null,
      released_at: null,
      release_reason: null,
      ...row,
      size: Number(row.size),
      part_size: row.part_size === null || row.part_size === undefined ? null : Number(row.part_size),
    } as unknown as Upload;
    this.rows.set(upload.id, upload);
  }
  async insertMany(rows: NewUploadRow[], quotaBytes: number): Promise<InsertManyResult> {
    const used = [...this.rows.values()]
      .filter((u) => u.owner_subject === rows[0].owner_subject && ['pending', 'available'].includes(u.status))
      .reduce((sum, u) => sum + u.size, 0);
    const adding = rows.reduce((sum, row) => sum + Number(row.size), 0);
    if (quotaBytes > 0 && used + adding > quotaBytes)
      return { quotaExceeded: { usedBytes: used, limitBytes: quotaBytes } };
    for (const row of rows) this.store(row);
    return { inserted: rows.length };
  }
  async findById(id: string) {
    return this.rows.get(id);
  }
  async claim(id: string, statuses: readonly string[], holder: string, until: Date, owner?: Owner) {
    const row = this.rows.get(id);
    if (!row || !statuses.includes(row.status)) return undefined;
    if (owner && (row.owner_issuer !== owner.issuer || row.owner_subject !== owner.subject)) return undefined;
    if (row.settling_until && row.settling_until.getTime() > Date.now()) return undefined;
    const claimed = { ...row, settling_owner: holder, settling_until: until };
    this.rows.set(id, claimed);
    return claimed;
  }
  async settle(id: string, holder: string, to: Upload['status'], fields: Partial<Upload>) {
    const row = this.rows.get(id);
    if (!row || row.settling_owner !== holder) return undefined;
    const settled = { ...row, ...fields, status: to, settling_owner: null, settling_until: null };
    this.rows.set(id, settled);
    return settled;
  }
  async release(id: string, holder: string, retryAt: Date | null) {
    const row = this.rows.get(id);
    if (row?.settling_owner === holder)
      this.rows.set(id, { ...row, settling_owner: null, settling_until: retryAt });
  }
}

class FakeObjects {
  readonly stored = new Map<string, StoredObject>();
  readonly deleted: string[] = [];
  async head(key: string) {
    return this.stored.get(key);
  }
  async delete(key: string) {
    this.deleted.push(key);
    this.stored.delete(key);
  }
}

/** Server-side copies within FakeObjects, only while the source has the verified ETag. */
class FakeCopier {
  constructor(private readonly objects: FakeObjects) {}
  async promote({ from, to, etag }: PromotionRequest) {
    const source = this.objects.stored.get(from);
    if (source?.etag !== etag) return 'changed';
    this.objects.stored.set(to, source);
    return 'copied';
  }
}

/** Where a client writes the upload whose final key is `key`. */
const staged = (key: string) => key.replace(/^uploads\//, 'incoming/');

/** Multipart uploads in memory: parts as S3 keeps them, joined into FakeObjects on complete. */
class FakeMultipart {
  readonly uploads = new Map<string, { key: string; contentType: string; parts: Map<number, ListedPart> }>();
  readonly signed: PartUrlRequest[] = [];
  readonly aborted: string[] = [];
  constructor(private readonly objects: FakeObjects) {}
  async create(key: string, contentType: string) {
    const uploadId = `upload-${this.uploads.size + 1}`;
    this.uploads.set(uploadId, { key, contentType, parts: new Map() });
    return uploadId;
  }
  async signPart(request: PartUrlRequest) {
    this.signed.push(request);
    return `http://s3.test/bucket/${request.key}?partNumber=${request.partNumber}&uploadId=${request.uploadId}`;
  }
  /** What a PUT of a part of `size` bytes leaves at storage. */
  put(uploadId: string, partNumber: number, size: number) {
    this.uploads
      .get(uploadId)
      ?.parts.set(partNumber, { partNumber, size, etag: `${partNumber}`.padStart(32, '0') });
  }
  async listParts({ uploadId }: MultipartTarget) {
    const upload = this.uploads.get(uploadId);
    return upload && [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }
  async complete({ uploadId }: MultipartTarget, parts: ListedPart[]) {
    const upload = this.uploads.get(uploadId);
    if (!upload) return false;
    this.uploads.delete(uploadId);
    const etags = parts.map((p) => p.etag);
    this.objects.stored.set(upload.key, {
      size: parts.reduce((sum, p) => sum + p.size, 0),
      contentType: upload.contentType,
      etag: multipartEtag(etags),
    });
    return true;
  }
  async abort({ uploadId }: MultipartTarget) {
    this.aborted.push(uploadId);
    this.uploads.delete(uploadId);
  }
}

const settings: UploadsSettings = {
  maxFileSize: 100 * 1024 * 1024,
  multipartThreshold: 64 * 1024 * 1024,
  multipartExpiresInSeconds: 86_400,
  partUrlExpiresInSeconds: 300,
  allowedTypes: ['image/*', 'application/pdf', 'text/plain'],
  keyPrefix: 'uploads/',
  stagingPrefix: 'incoming/',
  scan: { maxBytes: 1024 ** 3, oversize: 'hold', concurrency: 1 },
  expiresInSeconds: 300,
  quotaBytes: 0,
  downloadExpiresInSeconds: 60,
  reconcileIntervalSeconds: 60,
};

/** The services over fakes; `scanner` makes verified uploads wait in `scanning`. */
function setup(overrides: Partial<UploadsSettings> = {}, { scanner = false } = {}) {
  const presigner = new FakePresigner();
  const repository = new FakeRepository();
  const objects = new FakeObjects();
  const s3 = new FakeMultipart(objects);
  const config = { ...settings, ...overrides };
  const promotion = new UploadPromotion(
    objects as unknown as S3Objects,
    new FakeCopier(objects) as unknown as S3Promotion,
    scanner ? ({} as ClamdClient) : null,
  );
  const scans = { wake: jest.fn() };
  const multipart = new MultipartUploadsService(
    s3 as unknown as S3Multipart,
    objects as unknown as S3Objects,
    repository as unknown as UploadsRepository,
    promotion,
    config,
  );
  const sut = new UploadsService(
    presigner as unknown as S3Presigner,
    s3 as unknown as S3Multipart,
    repository as unknown as UploadsRepository,
    config,
  );
  const settlement = new UploadSettlement(repository as unknown as UploadsRepository);
  const completion = new UploadCompletionService(
    objects as unknown as S3Objects,
    multipart,
    repository as unknown as UploadsRepository,
    settlement,
    promotion,
    scans as unknown as ScanWorker,
  );
  const records = new UploadRecordsService(
    repository as unknown as UploadsRepository,
    objects as unknown as S3Objects,
    multipart,
    settlement,
    config,
  );
  return { sut, completion, records, multipart, s3, presigner, repository, objects, scans };
}

async function problemOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProblemException);
  return (error as ProblemException).problem;
}

const alice: Principal = { issuer: 'https://idp.example', subject: 'alice', scopes: ['uploads:write'] };

describe('UploadsService', () => {
  it('should sign a server-made key with the exact type, size and expiry', async () => {
    const { sut, presigner } = setup();
    const result = await sut.createPresignedPost(
      {
        fileName: '../q3 report.pdf',
        contentType: 'Application/PDF',
        size: 12345,
      },
      alice,
    );
    expect(result.key).toMatch(
      new RegExp(
        `^uploads/${principalSegment(alice.issuer, alice.subject)}/\\d{4}/\\d{2}/\\d{2}/[0-9a-f-]{36}/q3 report\\.pdf$`,
      ),
    );
    expect(presigner.calls).toEqual([
      { key: staged(result.key), contentType: 'application/pdf', size: 12345, expiresInSeconds: 300 },
    ]);
    expect(result).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'http://s3.test/bucket',
      fields: { key: staged(result.key) },
      key: result.key,
      expiresAt: '2026-11-24T10:05:00.000Z',
    });
  });

  it('should give every upload its own key, even for the same name', async () => {
    const { sut } = setup();
    const request = { fileName: 'a.pdf', contentType: 'application/pdf', size: 1 };
    const [first, second] = await Promise.all([
      sut.createPresignedPost(request, alice),
      sut.createPresignedPost(request, alice),
    ]);
    expect(first.key).not.toBe(second.key);
  });

  it('should accept a size exactly at the limit', async () => {
    const { sut } = setup();
    await expect(
      sut.createPresignedPost(
        {
          fileName: 'a.pdf',
          contentType: 'application/pdf',
          size: settings.maxFileSize,
        },
        alice,
      ),
    ).resolves.toHaveProperty('key');
  });

  it.each<[string, PresignedPostRequest, string[]]>([
    [
      'one byte over the limit',
      { fileName: 'a.pdf', contentType: 'application/pdf', size: settings.maxFileSize + 1 },
      ['size.too_large'],
    ],
    [
      'a huge size',
      { fileName: 'a.pdf', contentType: 'application/pdf', size: Number.MAX_SAFE_INTEGER },
      ['size.too_large'],
    ],
    [
      'a type outside the allowlist',
      { fileName: 'a.zip', contentType: 'application/zip', size: 1 },
      ['contentType.not_allowed'],
    ],
    [
      'an executable dressed as an image',
      { fileName: 'x.exe', contentType: 'image/png', size: 1 },
      ['contentType.extension_mismatch'],
    ],
    ['a malformed type', { fileName: 'a.pdf', contentType: 'pdf', size: 1 }, ['contentType.invalid']],
    [
      'a name with nothing usable',
      { fileName: '../..', contentType: 'text/plain', size: 1 },
      ['fileName.no_usable_characters'],
    ],
    [
      'several problems at once',
      { fileName: '...', contentType: 'video/mp4', size: settings.maxFileSize + 1 },
      ['size.too_large', 'fileName.no_usable_characters', 'contentType.not_allowed'],
    ],
  ])('should refuse %s', async (_case, request, codes) => {
    const { sut, presigner } = setup();
    const problem = await problemOf(sut.createPresignedPost(request, alice));
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.code)).toEqual(codes);
    expect(presigner.calls).toHaveLength(0);
  });

  it('should state both sizes in a too-large message', async () => {
    const { sut } = setup();
    const problem = await problemOf(
      sut.createPresignedPost(
        { fileName: 'a.pdf', contentType: 'application/pdf', size: 120 * 1024 * 1024 },
        alice,
      ),
    );
    expect(problem.errors[0].message).toBe(
      'size 125829120 bytes (120 MiB) is over the limit of 104857600 bytes (100 MiB)',
    );
  });

  it('should publish the rules it signs by', () => {
    const { sut } = setup();
    expect(sut.getConfig()).toEqual({
      maxFileSize: settings.maxFileSize,
      multipartThreshold: settings.multipartThreshold,
      allowedTypes: settings.allowedTypes,
      expiresInSeconds: 300,
    });
  });

  describe('records', () => {
    const pdf = { fileName: 'a.pdf', contentType: 'application/pdf', size: 5 };

    it('should commit the record before it signs anything', async () => {
      const { sut, presigner, repository } = setup();
      const order: string[] = [];
      const insert = repository.insertMany.bind(repository);
      repository.insertMany = async (...args) => (order.push('insert'), insert(...args));
      const sign = presigner.presignPost.bind(presigner);
      presigner.presignPost = async (request) => (order.push('sign'), sign(request));
      const created = await sut.create(pdf, alice);
      expect(order).toEqual(['insert', 'sign']);
      expect(repository.rows.get(created.id)).toMatchObject({ status: 'pending', key: created.key, size: 5 });
    });

    it('should sign nothing when the record cannot be written', async () => {
      const { sut, presigner, repository } = setup();
      repository.insertMany = async () => {
        throw new Error('database down');
      };
      await expect(sut.create(pdf, alice)).rejects.toThrow('database down');
      expect(presigner.calls).toHaveLength(0);
    });

    it('should refuse with 409 quota.exceeded, naming usage and limit, and sign nothing', async () => {
      const { sut, presigner } = setup({ quotaBytes: 8 });
      await sut.create(pdf, alice);
      const problem = await problemOf(sut.create(pdf, alice));
      expect(problem.status).toBe(409);
      expect(problem.errors[0].code).toBe('quota.exceeded');
      expect(problem.detail).toContain('(5 of 8 bytes)');
      expect(presigner.calls).toHaveLength(1);
    });

    it('should pin the declared MD5 in the policy', async () => {
      const { sut, presigner } = setup();
      await sut.create({ ...pdf, md5: 'XUFAKrxLKna5cZ2REBfFkg==' }, alice);
      expect(presigner.calls[0].md5).toBe('XUFAKrxLKna5cZ2REBfFkg==');
    });

    it('should promote a matching object to its key where nothing scans, and say so again when asked again', async () => {
      const { sut, completion, objects, repository } = setup();
      const created = await sut.create(pdf, alice);
      const object = { size: 5, contentType: 'application/pdf', etag: 'abc' };
      objects.stored.set(staged(created.key), object);
      const first = await completion.complete(created.id, alice);
      expect(first).toMatchObject({ status: 'available', size: 5, scan: 'disabled' });
      expect(objects.stored.get(created.key)).toEqual(object);
      // The staged copy is the staging sweep's, once the policy can no longer write it.
      expect(objects.deleted).toEqual([]);
      expect(repository.rows.get(created.id)?.sweep_after?.getTime()).toBeGreaterThan(Date.now());
      expect(await completion.complete(created.id, alice)).toEqual(first);
    });

    it('should leave a matching object staged for the scanner, and wake it', async () => {
      const { sut, completion, objects, scans } = setup({}, { scanner: true });
      const created = await sut.create(pdf, alice);
      objects.stored.set(staged(created.key), { size: 5, contentType: 'application/pdf', etag: 'abc' });
      expect(await completion.complete(created.id, alice)).toMatchObject({ status: 'scanning' });
      expect(objects.stored.has(created.key)).toBe(false);
      expect(objects.deleted).toEqual([]);
      expect(scans.wake).toHaveBeenCalledTimes(1);
    });

    it('should reject an object written again between its check and its copy, keeping neither', async () => {
      const { sut, completion, objects } = setup();
      const created = await sut.create(pdf, alice);
      objects.stored.set(staged(created.key), { size: 5, contentType: 'application/pdf', etag: 'abc' });
      const head = objects.head.bind(objects);
      objects.head = async (key) => {
        const seen = await head(key);
        // A saved policy re-POSTs other bytes right after the check.
        objects.stored.set(staged(created.key), { size: 5, contentType: 'application/pdf', etag: 'def' });
        return seen;
      };
      expect(await completion.complete(created.id, alice)).toMatchObject({
        status: 'rejected',
        reason: 'changed_after_verification',
      });
      expect([...objects.stored.keys()]).toEqual([]);
    });

    it('should reject, and delete, an object that is not what was declared', async () => {
      const { sut, completion, objects } = setup();
      const created = await sut.create(pdf, alice);
      objects.stored.set(staged(created.key), { size: 6, contentType: 'application/pdf' });
      expect(await completion.complete(created.id, alice)).toMatchObject({
        status: 'rejected',
        reason: 'size_mismatch',
      });
      expect(objects.deleted).toEqual([staged(created.key)]);
    });

    it('should answer 409 upload.not_in_storage before the object is there, and leave it pending', async () => {
      const { sut, completion, records } = setup();
      const created = await sut.create(pdf, alice);
      const problem = await problemOf(completion.complete(created.id, alice));
      expect([problem.status, problem.errors[0].code]).toEqual([409, 'upload.not_in_storage']);
      expect((await records.get(created.id, alice)).status).toBe('pending');
    });

    it.each([
      ['another user', { ...alice, subject: 'bob' }],
      ['the same subject at another issuer', { ...alice, issuer: 'https://elsewhere.example' }],
    ])('should answer 404 to %s, as for an id that does not exist', async (_case, stranger) => {
      const { sut, completion, records } = setup();
      const created = await sut.create(pdf, alice);
      for (const call of [
        records.get(created.id, stranger),
        completion.complete(created.id, stranger),
        records.download(created.id, stranger),
        records.delete(created.id, stranger),
      ]) {
        const problem = await problemOf(call);
        expect([problem.status, problem.errors[0].code]).toEqual([404, 'upload.not_found']);
      }
      const missing = await problemOf(records.get('019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', alice));
      expect(missing.status).toBe(404);
    });

    it('should show anyone’s upload to uploads:admin', async () => {
      const { sut, records } = setup();
      const created = await sut.create(pdf, alice);
      const admin = { issuer: alice.issuer, subject: 'ops', scopes: ['uploads:admin'] };
      expect(await records.get(created.id, admin)).toMatchObject({
        id: created.id,
        owner: { subject: 'alice' },
      });
    });
  });

  describe('batches', () => {
    const pdf = { fileName: 'a.pdf', contentType: 'application/pdf', size: 5 };
    const MiB = 1024 ** 2;

    it('should record every file in one insert, and answer each in order with its own policy', async () => {
      const { sut, presigner, repository } = setup();
      const inserts: number[] = [];
      const insertMany = repository.insertMany.bind(repository);
      repository.insertMany = async (rows, quota) => (inserts.push(rows.length), insertMany(rows, quota));
      const files = ['a.pdf', 'b.pdf', 'c.pdf'].map((fileName) => ({ ...pdf, fileName }));
      const { uploads } = await sut.createBatch(files, alice);
      expect(inserts).toEqual([3]);
      expect(uploads.map((u) => u.key.split('/').pop())).toEqual(['a.pdf', 'b.pdf', 'c.pdf']);
      expect(new Set(uploads.map((u) => u.id)).size).toBe(3);
      expect(presigner.calls.map((c) => c.key)).toEqual(uploads.map((u) => staged(u.key)));
      expect(uploads.every((u) => repository.rows.get(u.id)?.status === 'pending')).toBe(true);
    });

    it('should refuse the whole batch, naming each bad file by its index, and create nothing', async () => {
      const { sut, presigner, repository, s3 } = setup({ multipartThreshold: MiB });
      const files = [
        { ...pdf, size: 2 * MiB },
        { ...pdf, contentType: 'application/x-msdownload' },
        pdf,
        { ...pdf, fileName: '...' },
      ];
      const problem = await problemOf(sut.createBatch(files, alice));
      expect(problem.status).toBe(400);
      expect(problem.errors.map((e) => `${e.field}:${e.code}`)).toEqual([
        'files.1.contentType:contentType.not_allowed',
        'files.3.fileName:fileName.no_usable_characters',
      ]);
      expect([repository.rows.size, presigner.calls.length, s3.uploads.size]).toEqual([0, 0, 0]);
    });

    it('should fit the whole batch in the quota or create none of it, aborting the parts it started', async () => {
      const { sut, repository, s3 } = setup({ quotaBytes: 2 * MiB, multipartThreshold: MiB });
      const problem = await problemOf(sut.createBatch([pdf, { ...pdf, size: 2 * MiB }], alice));
      expect([problem.status, problem.errors[0].code]).toEqual([409, 'quota.exceeded']);
      expect(repository.rows.size).toBe(0);
      expect(s3.aborted).toHaveLength(1);
      expect(s3.uploads.size).toBe(0);
    });

    it('should start the multipart uploads among the files and record each with its plan', async () => {
      const { sut, repository, s3 } = setup({ multipartThreshold: MiB });
      const { uploads } = await sut.createBatch([pdf, { ...pdf, size: 2 * MiB + 1 }], alice);
      expect(uploads.map((u) => u.method)).toEqual(['post', 'multipart']);
      const uploadId = repository.rows.get(uploads[1].id)?.s3_upload_id ?? '';
      expect(s3.uploads.get(uploadId)).toMatchObject({ key: staged(uploads[1].key) });
    });
  });

  describe('multipart', () => {
    const MiB = 1024 ** 2;
    const big = { fileName: 'survey.pdf', contentType: 'application/pdf', size: 20 * MiB + 3 };
    const md5 = 'XUFAKrxLKna5cZ2REBfFkg==';
    const many = { maxFileSize: 5 * 1024 ** 4, multipartThreshold: 10 * MiB };

    async function started(overrides: Partial<UploadsSettings> = many) {
      const context = setup(overrides);
      const created = await context.sut.create(big, alice);
      if (created.method !== 'multipart') throw new Error('expected a multipart upload');
      const uploadId = context.repository.rows.get(created.id)?.s3_upload_id ?? '';
      return { ...context, created, uploadId };
    }

    it('should start a multipart upload above the threshold and record its plan', async () => {
      const { created, presigner, s3, repository, uploadId } = await started();
      expect(created).toMatchObject({
        method: 'multipart',
        partSize: 8 * MiB,
        partCount: 3,
        status: 'pending',
      });
      expect(presigner.calls).toHaveLength(0);
      expect(s3.uploads.get(uploadId)).toMatchObject({
        key: staged(created.key),
        contentType: 'application/pdf',
      });
      expect(repository.rows.get(created.id)).toMatchObject({ method: 'multipart', part_size: 8 * MiB });
      expect(Date.parse(created.expiresAt) - Date.now()).toBeGreaterThan(86_000_000);
    });

    it.each<[string, Partial<UploadsSettings>, object, string]>([
      ['at the threshold', { multipartThreshold: big.size }, {}, 'post'],
      ['a byte over the threshold', { multipartThreshold: big.size - 1 }, {}, 'multipart'],
      ['asked for, though small', {}, { size: 10, method: 'multipart' }, 'multipart'],
      ['asked as a POST, though large', { multipartThreshold: 1 }, { method: 'post' }, 'post'],
    ])('should choose the method %s', async (_case, overrides, request, method) => {
      const { sut } = setup({ ...many, ...overrides });
      expect((await sut.create({ ...big, ...request }, alice)).method).toBe(method);
    });

    it.each<[string, object, string]>([
      ['one POST over 5 GiB', { size: 5 * 1024 ** 3 + 1, method: 'post' }, 'size.too_large'],
      ['a whole-file MD5 for parts', { method: 'multipart', md5 }, 'md5.invalid'],
    ])('should refuse %s', async (_case, request, code) => {
      const { sut, s3 } = setup(many);
      const problem = await problemOf(sut.create({ ...big, ...request }, alice));
      expect([problem.status, problem.errors.map((e) => e.code)]).toEqual([400, [code]]);
      expect(s3.uploads.size).toBe(0);
    });

    it('should abort the started upload when the quota refuses the record', async () => {
      const { sut, s3 } = setup({ ...many, quotaBytes: 10 * MiB });
      const problem = await problemOf(sut.create(big, alice));
      expect(problem.errors[0].code).toBe('quota.exceeded');
      expect(s3.aborted).toHaveLength(1);
      expect(s3.uploads.size).toBe(0);
    });

    it('should sign each part for its exact length and MD5', async () => {
      const { multipart, created, s3 } = await started();
      const signed = await multipart.signParts(
        created.id,
        {
          parts: [
            { partNumber: 3, md5 },
            { partNumber: 1, md5 },
          ],
        },
        alice,
      );
      expect(s3.signed.map((r) => [r.partNumber, r.contentLength, r.md5])).toEqual([
        [3, 4 * MiB + 3, md5],
        [1, 8 * MiB, md5],
      ]);
      expect(signed.parts.map((p) => [p.partNumber, p.headers])).toEqual([
        [3, { 'content-md5': md5 }],
        [1, { 'content-md5': md5 }],
      ]);
      expect(s3.signed[0].expiresInSeconds).toBe(300);
      expect(Date.parse(signed.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    });

    it.each([0, 4, 10_001, -1])('should refuse part number %p with 400', async (partNumber) => {
      const { multipart, created, s3 } = await started();
      const problem = await problemOf(
        multipart.signParts(created.id, { parts: [{ partNumber, md5 }] }, alice),
      );
      expect([problem.status, problem.errors]).toEqual([
        400,
        [
          {
            field: 'parts.0.partNumber',
            code: 'partNumber.invalid',
            message: expect.stringContaining('1 to 3'),
          },
        ],
      ]);
      expect(s3.signed).toHaveLength(0);
    });

    it('should refuse a part listed twice', async () => {
      const { multipart, created } = await started();
      const parts = [
        { partNumber: 2, md5 },
        { partNumber: 2, md5 },
      ];
      const problem = await problemOf(multipart.signParts(created.id, { parts }, alice));
      expect(problem.errors.map((e) => `${e.field}:${e.code}`)).toEqual(['parts.1.partNumber:parts.invalid']);
    });

    it('should sign parts for the owner only, and only of a pending multipart upload', async () => {
      const { sut, multipart, created } = await started();
      const parts = [{ partNumber: 1, md5 }];
      const admin = { issuer: alice.issuer, subject: 'ops', scopes: ['uploads:admin'] };
      expect((await problemOf(multipart.signParts(created.id, { parts }, admin))).status).toBe(404);
      const post = await sut.create({ fileName: 'a.pdf', contentType: 'application/pdf', size: 5 }, alice);
      const notMultipart = await problemOf(multipart.signParts(post.id, { parts }, alice));
      expect(notMultipart.errors[0].code).toBe('upload.not_multipart');
    });

    it('should refuse to sign parts for an upload past its expiry', async () => {
      const { multipart, created, repository } = await started();
      const row = repository.rows.get(created.id);
      if (row) row.expires_at = new Date(Date.now() - 1000);
      const problem = await problemOf(
        multipart.signParts(created.id, { parts: [{ partNumber: 1, md5 }] }, alice),
      );
      expect([problem.status, problem.errors[0].code, problem.detail]).toEqual([
        409,
        'upload.not_pending',
        expect.stringContaining('expired'),
      ]);
    });

    it('should complete from the parts storage lists, and name the missing and short ones', async () => {
      const { completion, multipart, created, s3, uploadId } = await started();
      s3.put(uploadId, 1, 8 * MiB);
      s3.put(uploadId, 3, 100);
      const problem = await problemOf(completion.complete(created.id, alice));
      expect([problem.status, problem.detail]).toEqual([409, expect.stringContaining('send parts 2-3')]);
      expect(problem.errors).toEqual([
        { field: 'parts.2', code: 'upload.parts_incomplete', message: 'part 2 is missing' },
        {
          field: 'parts.3',
          code: 'upload.parts_incomplete',
          message: `part 3 has 100 bytes; it must have ${4 * MiB + 3}`,
        },
      ]);
      expect((await multipart.listParts(created.id, alice)).parts.map((p) => p.partNumber)).toEqual([1, 3]);
      s3.put(uploadId, 2, 8 * MiB);
      s3.put(uploadId, 3, 4 * MiB + 3);
      expect(await completion.complete(created.id, alice)).toMatchObject({
        status: 'available',
        method: 'multipart',
        partSize: 8 * MiB,
        partCount: 3,
      });
      expect(s3.uploads.has(uploadId)).toBe(false);
    });

    it('should reject an object whose ETag is not the one its parts make', async () => {
      const { completion, created, s3, objects, uploadId } = await started();
      for (const [n, size] of [
        [1, 8 * MiB],
        [2, 8 * MiB],
        [3, 4 * MiB + 3],
      ])
        s3.put(uploadId, n, size);
      const complete = s3.complete.bind(s3);
      s3.complete = async (target, parts) => {
        const done = await complete(target, parts);
        objects.stored.set(staged(created.key), {
          size: big.size,
          contentType: big.contentType,
          etag: 'f'.repeat(32) + '-3',
        });
        return done;
      };
      expect(await completion.complete(created.id, alice)).toMatchObject({
        status: 'rejected',
        reason: 'md5_mismatch',
      });
      expect(objects.deleted).toEqual([staged(created.key)]);
    });

    it('should abort at storage when a pending multipart upload is deleted', async () => {
      const { records, multipart, created, s3, uploadId } = await started();
      await records.delete(created.id, alice);
      expect(s3.aborted).toEqual([uploadId]);
      expect((await records.get(created.id, alice)).status).toBe('canceled');
      const problem = await problemOf(
        multipart.signParts(created.id, { parts: [{ partNumber: 1, md5 }] }, alice),
      );
      expect([problem.status, problem.errors[0].code]).toEqual([409, 'upload.not_pending']);
    });
  });
});
