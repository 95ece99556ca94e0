import type { CreateUploadRequest, ProblemFieldError } from '@dropgate/shared/api-contract';
import { S3_MAX_POST_BYTES, usesMultipart } from '@dropgate/shared/util-parts';
import { ProblemException } from '@dropgate/api/util-http';
import { isTypeAllowed } from '@dropgate/shared/util-content-types';
import { extensionOf, sanitiseFileName } from './file-name';
import { normaliseContentType, typeAgreesWithExtension } from './content-type';
import { formatBytes } from './format-bytes';
import type { UploadsSettings } from './uploads.config';

/**
 * The rules that depend on configuration (the DTO has already checked shapes and kinds): the
 * size limit, a method that can carry the size, a usable name, an allowed type that agrees with
 * the extension. Returns the sanitised name and the normalised type, or throws 400 with every
 * failure.
 */
export function checkUploadRequest(
  request: CreateUploadRequest,
  settings: Pick<UploadsSettings, 'maxFileSize' | 'allowedTypes' | 'multipartThreshold'>,
): { name: string; contentType: string } {
  const errors: ProblemFieldError[] = [];
  const { maxFileSize, allowedTypes } = settings;
  if (request.size > maxFileSize) {
    errors.push({
      field: 'size',
      code: 'size.too_large',
      message: `size ${request.size} bytes (${formatBytes(request.size)}) is over the limit of ${maxFileSize} bytes (${formatBytes(maxFileSize)})`,
    });
  } else if (request.method === 'post' && request.size > S3_MAX_POST_BYTES) {
    errors.push({
      field: 'size',
      code: 'size.too_large',
      message: `one POST carries at most ${S3_MAX_POST_BYTES} bytes (5 GiB); leave out method, or use multipart`,
    });
  }
  const multipart =
    request.method === 'multipart' ||
    (request.method === undefined && usesMultipart(request.size, settings.multipartThreshold));
  if (multipart && request.md5 !== undefined) {
    errors.push({
      field: 'md5',
      code: 'md5.invalid',
      message:
        'md5 of the whole file is for a single POST; this upload goes in parts, each with its own MD5 (POST /api/uploads/{id}/parts)',
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
