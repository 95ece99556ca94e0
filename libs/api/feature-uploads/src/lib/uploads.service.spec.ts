import type { PostPolicyRequest, S3Presigner, SignedPostPolicy } from '@dropgate/api/data-access-s3';
import { ProblemException } from '@dropgate/api/util-http';
import type { PresignedPostRequest, Principal } from '@dropgate/shared/api-contract';
import { UploadsService } from './uploads.service';
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

const settings: UploadsSettings = {
  maxFileSize: 100 * 1024 * 1024,
  allowedTypes: ['image/*', 'application/pdf', 'text/plain'],
  keyPrefix: 'uploads/',
  expiresInSeconds: 300,
};

function setup() {
  const presigner = new FakePresigner();
  const sut = new UploadsService(presigner as unknown as S3Presigner, settings);
  return { sut, presigner };
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
});
