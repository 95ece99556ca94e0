import { applyDecorators } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  getSchemaPath,
  ApiProblemResponses,
} from '@dropgate/api/util-http';
import { CreatedMultipartUploadDto, CreatedPostUploadDto } from './dto/created-upload.dto';
import { PresignedPostDto } from './dto/presigned-post.dto';
import { DownloadLinkDto, UploadPageDto } from './dto/upload-page.dto';
import { UploadRecordDto } from './dto/upload-record.dto';
import { UploadUsageDto } from './dto/upload-usage.dto';
import { UploadsConfigDto } from './dto/uploads-config.dto';
import { MAX_BATCH_FILES, UPLOAD_STATUSES } from '@dropgate/shared/api-contract';
import { ApiUploadId } from './upload-id.api-docs';

/** A created upload: a single POST's form, or a plan of parts, told apart by `method`. */
const createdUpload = () => ({
  oneOf: [{ $ref: getSchemaPath(CreatedPostUploadDto) }, { $ref: getSchemaPath(CreatedMultipartUploadDto) }],
  discriminator: { propertyName: 'method' },
});

/** The OpenAPI description of each route of `UploadsController`, kept out of its way. */
export const UploadsApiDocs = {
  list: () =>
    applyDecorators(
      ApiOperation({
        summary:
          'Your uploads, newest first; uploads:admin may list one owner’s (owner=<subject>) or everyone’s (owner=*)',
        description:
          'Pages stay stable while uploads arrive: pass `nextCursor` back as `cursor`. A cursor made for another query, or changed, is 400 `cursor.invalid`.',
      }),
      ApiQuery({
        name: 'status',
        required: false,
        enum: [...UPLOAD_STATUSES],
      }),
      ApiQuery({ name: 'limit', required: false, description: '1 to 100 (default 25)' }),
      ApiQuery({ name: 'cursor', required: false }),
      ApiQuery({
        name: 'owner',
        required: false,
        description: 'uploads:admin only: a subject, or * for everyone',
      }),
      ApiOkResponse({ type: UploadPageDto }),
      ApiProblemResponses(400, 429),
    ),

  create: () =>
    applyDecorators(
      ApiExtraModels(CreatedPostUploadDto, CreatedMultipartUploadDto),
      ApiOperation({
        summary: 'Create an upload: its record, and a POST policy for exactly that file, or a plan of parts',
        description:
          'Records a pending upload (within the quota). For a single POST (`method: post`) it signs a short-lived ' +
          'POST that pins the bucket, a server-made key, the exact Content-Type and size, and Content-MD5 when ' +
          '`md5` is given: POST `post.fields` and then the file to `post.url`. Above `multipartThreshold`, or ' +
          'with `"method": "multipart"`, it starts a multipart upload (`method: multipart`, `partSize`, ' +
          '`partCount`): sign parts with `POST /api/uploads/{id}/parts` and PUT them. Then call ' +
          '`POST /api/uploads/{id}/complete`.',
      }),
      ApiCreatedResponse({ schema: createdUpload() }),
      ApiProblemResponses(400, 409, 413, 415, 429, 500),
    ),

  createBatch: () =>
    applyDecorators(
      ApiExtraModels(CreatedPostUploadDto, CreatedMultipartUploadDto),
      ApiOperation({
        summary: `Create up to ${MAX_BATCH_FILES} uploads in one call: all of them, or none`,
        description:
          'Each file is checked and created as `POST /api/uploads` would, in one statement: all within the ' +
          'quota, or none (409 `quota.exceeded`). A file that breaks a rule fails the batch with 400, its errors ' +
          'named by its index (`files.3.contentType`). The answer holds one created upload per file, in the ' +
          'order sent. Made for adding many files at once: one round trip instead of one per file.',
      }),
      ApiCreatedResponse({
        schema: {
          type: 'object',
          required: ['uploads'],
          properties: {
            uploads: {
              type: 'array',
              items: createdUpload(),
            },
          },
        },
      }),
      ApiProblemResponses(400, 409, 413, 415, 429, 500),
    ),

  createPresignedPost: () =>
    applyDecorators(
      ApiOperation({
        summary: 'Sign a POST policy for one file (deprecated: use POST /api/uploads)',
        deprecated: true,
        description:
          'Kept for existing clients: creates the same record as `POST /api/uploads` and answers in the old ' +
          'shape, plus `id`. Sends `Deprecation` and `Link: <…/api/uploads>; rel="successor-version"` (RFC 9745).',
      }),
      ApiCreatedResponse({ type: PresignedPostDto }),
      ApiProblemResponses(400, 409, 413, 415, 429, 500),
    ),

  config: () =>
    applyDecorators(
      ApiOperation({ summary: 'The rules presigned POSTs are issued by, for checking files before asking' }),
      ApiOkResponse({ type: UploadsConfigDto }),
      ApiProblemResponses(429),
    ),

  usage: () =>
    applyDecorators(
      ApiOperation({
        summary: 'Your pending and available bytes, and your quota when there is one',
        description: 'What `POST /api/uploads` checks a new file against (409 `quota.exceeded`).',
      }),
      ApiOkResponse({ type: UploadUsageDto }),
      ApiProblemResponses(429),
    ),

  get: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary: 'One upload: to its owner, or to uploads:admin; 404 for anyone else, as for no upload',
      }),
      ApiOkResponse({ type: UploadRecordDto }),
      ApiProblemResponses(404, 429),
    ),

  download: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary: 'A short-lived link that downloads an available upload under its own name',
        description:
          "A presigned GET (`DOWNLOAD_URL_EXPIRES_SECONDS`, default 60) with `response-content-disposition: attachment; filename*=UTF-8''…` and `response-content-type`. 409 `upload.not_available` for any other status.",
      }),
      ApiOkResponse({ type: DownloadLinkDto }),
      ApiProblemResponses(404, 409, 429),
    ),

  delete: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary:
          'Cancel a pending upload (a multipart one is aborted at storage), or delete an available one (its object goes; its record stays, deleted)',
        description: 'Idempotent: deleting again answers 204 too.',
      }),
      ApiNoContentResponse({ description: 'Canceled or deleted' }),
      ApiProblemResponses(404, 429),
    ),
};
