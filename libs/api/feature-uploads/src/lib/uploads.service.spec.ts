import type {
  PostPolicyRequest,
  S3Objects,
  S3Presigner,
  SignedPostPolicy,
  StoredObject,
} from '@dropgate/api/data-access-s3';
import type { InsertResult, Upload, UploadsRepository } from '@dropgate/api/data-access-db';
import type { NewUploadRow } from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import type { PresignedPostRequest, Principal } from '@dropgate/shared/api-contract';
import { UploadsService } from './uploads.service';
import { UploadRecordsService } from './upload-records.service';
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
  async insert(row: NewUploadRow, quotaBytes: number): Promise<InsertResult> {
    const used = [...this.rows.values()]
      .filter((u) => u.owner_subject === row.owner_subject && ['pending', 'available'].includes(u.status))
      .reduce((sum, u) => sum + u.size, 0);
    if (quotaBytes > 0 && used + Number(row.size) > quotaBytes)
      return { quotaExceeded: { usedBytes: used, limitBytes: quotaBytes } };
    const upload = { ...row, size: Number(row.size), method: 'post' } as unknown as Upload;
    this.rows.set(upload.id, upload);
    return { upload };
  }
  async findById(id: string) {
    return this.rows.get(id);
  }
  async updateStatus(id: string, from: string, to: Upload['status'], fields: Partial<Upload>) {
    const row = this.rows.get(id);
    if (!row || row.status !== from) return undefined;
    const moved = { ...row, ...fields, status: to };
    this.rows.set(id, moved);
    return moved;
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

const settings: UploadsSettings = {
  maxFileSize: 100 * 1024 * 1024,
  allowedTypes: ['image/*', 'application/pdf', 'text/plain'],
  keyPrefix: 'uploads/',
  expiresInSeconds: 300,
  quotaBytes: 0,
  downloadExpiresInSeconds: 60,
  reconcileIntervalSeconds: 60,
};

function setup(overrides: Partial<UploadsSettings> = {}) {
  const presigner = new FakePresigner();
  const repository = new FakeRepository();
  const objects = new FakeObjects();
  const sut = new UploadsService(
    presigner as unknown as S3Presigner,
    objects as unknown as S3Objects,
    repository as unknown as UploadsRepository,
    { ...settings, ...overrides },
  );
  const records = new UploadRecordsService(
    repository as unknown as UploadsRepository,
    objects as unknown as S3Objects,
    { ...settings, ...overrides },
  );
  return { sut, records, presigner, repository, objects };
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
      { key: result.key, contentType: 'application/pdf', size: 12345, expiresInSeconds: 300 },
    ]);
    expect(result).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      url: 'http://s3.test/bucket',
      fields: { key: result.key },
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
      allowedTypes: settings.allowedTypes,
      expiresInSeconds: 300,
    });
  });

  describe('records', () => {
    const pdf = { fileName: 'a.pdf', contentType: 'application/pdf', size: 5 };

    it('should commit the record before it signs anything', async () => {
      const { sut, presigner, repository } = setup();
      const order: string[] = [];
      const insert = repository.insert.bind(repository);
      repository.insert = async (...args) => (order.push('insert'), insert(...args));
      const sign = presigner.presignPost.bind(presigner);
      presigner.presignPost = async (request) => (order.push('sign'), sign(request));
      const created = await sut.create(pdf, alice);
      expect(order).toEqual(['insert', 'sign']);
      expect(repository.rows.get(created.id)).toMatchObject({ status: 'pending', key: created.key, size: 5 });
    });

    it('should sign nothing when the record cannot be written', async () => {
      const { sut, presigner, repository } = setup();
      repository.insert = async () => {
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

    it('should make an upload available once its object matches, and say so again when asked again', async () => {
      const { sut, objects } = setup();
      const created = await sut.create(pdf, alice);
      objects.stored.set(created.key, { size: 5, contentType: 'application/pdf', etag: 'abc' });
      const first = await sut.complete(created.id, alice);
      expect(first).toMatchObject({ status: 'available', size: 5 });
      expect(await sut.complete(created.id, alice)).toEqual(first);
    });

    it('should reject, and delete, an object that is not what was declared', async () => {
      const { sut, objects } = setup();
      const created = await sut.create(pdf, alice);
      objects.stored.set(created.key, { size: 6, contentType: 'application/pdf' });
      expect(await sut.complete(created.id, alice)).toMatchObject({
        status: 'rejected',
        reason: 'size_mismatch',
      });
      expect(objects.deleted).toEqual([created.key]);
    });

    it('should answer 409 upload.not_in_storage before the object is there, and leave it pending', async () => {
      const { sut, records } = setup();
      const created = await sut.create(pdf, alice);
      const problem = await problemOf(sut.complete(created.id, alice));
      expect([problem.status, problem.errors[0].code]).toEqual([409, 'upload.not_in_storage']);
      expect((await records.get(created.id, alice)).status).toBe('pending');
    });

    it.each([
      ['another user', { ...alice, subject: 'bob' }],
      ['the same subject at another issuer', { ...alice, issuer: 'https://elsewhere.example' }],
    ])('should answer 404 to %s, as for an id that does not exist', async (_case, stranger) => {
      const { sut, records } = setup();
      const created = await sut.create(pdf, alice);
      for (const call of [
        records.get(created.id, stranger),
        sut.complete(created.id, stranger),
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
});
