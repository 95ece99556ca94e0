import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type {
  Principal,
  PresignedPost,
  PresignedPostRequest,
  ProblemFieldError,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { S3Presigner } from '@dropgate/api/data-access-s3';
import { ProblemException } from '@dropgate/api/util-http';
import { extensionOf, sanitiseFileName } from './file-name';
import { buildObjectKey } from './object-key';
import { principalSegment } from './principal-segment';
import { isTypeAllowed } from '@dropgate/shared/util-content-types';
import { normaliseContentType, typeAgreesWithExtension } from './content-type';
import { uploadsConfig, type UploadsSettings } from './uploads.config';
import { formatBytes } from './format-bytes';

/** Decides what may be uploaded and signs a POST policy that pins exactly that. */
@Injectable()
export class UploadsService {
  constructor(
    private readonly presigner: S3Presigner,
    @Inject(uploadsConfig.KEY) private readonly settings: UploadsSettings,
  ) {}

  getConfig(): UploadsConfig {
    const { maxFileSize, allowedTypes, expiresInSeconds } = this.settings;
    return { maxFileSize, allowedTypes, expiresInSeconds };
  }

  /** Signs a policy for a key under the principal's own segment. */
  async createPresignedPost(request: PresignedPostRequest, principal: Principal): Promise<PresignedPost> {
    const { name, contentType } = this.check(request);
    const segment = principalSegment(principal.issuer, principal.subject);
    const key = buildObjectKey(this.settings.keyPrefix, segment, new Date(), randomUUID(), name);
    const signed = await this.presigner.presignPost({
      key,
      contentType,
      size: request.size,
      expiresInSeconds: this.settings.expiresInSeconds,
    });
    return { url: signed.url, fields: signed.fields, key, expiresAt: signed.expiresAt.toISOString() };
  }

  /** The rules that depend on configuration; the DTO has already checked shapes and kinds. */
  private check(request: PresignedPostRequest): { name: string; contentType: string } {
    const errors: ProblemFieldError[] = [];
    const { maxFileSize, allowedTypes } = this.settings;
    if (request.size > maxFileSize) {
      errors.push({
        field: 'size',
        code: 'size.too_large',
        message: `size ${request.size} bytes (${formatBytes(request.size)}) is over the limit of ${maxFileSize} bytes (${formatBytes(maxFileSize)})`,
      });
    }
    const name = sanitiseFileName(request.fileName);
    if (name === '') {
      errors.push({
        field: 'fileName',
        code: 'fileName.no_usable_characters',
        message: 'fileName has no usable characters once path parts, dots and control characters are removed',
      });
    }
    const type = normaliseContentType(request.contentType);
    if (!type) {
      errors.push({
        field: 'contentType',
        code: 'contentType.invalid',
        message: 'contentType must be a MIME type such as application/pdf',
      });
    } else if (!isTypeAllowed(type.essence, allowedTypes)) {
      errors.push({
        field: 'contentType',
        code: 'contentType.not_allowed',
        message: `contentType ${type.essence} is not allowed; allowed: ${allowedTypes.join(', ')}`,
      });
    } else if (name !== '' && !typeAgreesWithExtension(type.essence, extensionOf(name))) {
      const extension = extensionOf(name);
      errors.push({
        field: 'contentType',
        code: 'contentType.extension_mismatch',
        message: `contentType ${type.essence} does not match the file's ${extension ? `.${extension}` : 'missing'} extension`,
      });
    }
    if (errors.length > 0) throw ProblemException.validation(errors);
    return { name, contentType: type?.value ?? '' };
  }
}
