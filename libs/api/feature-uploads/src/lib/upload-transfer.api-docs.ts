import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProblemResponses } from '@dropgate/api/util-http';
import { SignedPartsDto, StoredPartsDto } from './dto/parts.dto';
import { UploadRecordDto } from './dto/upload-record.dto';
import { ApiUploadId } from './upload-id.api-docs';

/** The OpenAPI description of each route of `UploadTransferController`. */
export const UploadTransferApiDocs = {
  complete: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary: 'Verify the stored object; it is then scanned and made available (or rejected)',
        description:
          'A multipart upload is first joined from the parts storage lists (never a list from the client): ' +
          'every part from 1 to partCount, each of its planned size, or 409 `upload.parts_incomplete` naming ' +
          'the parts to send. ' +
          'HeadObject: the size, the Content-Type and, when an MD5 was declared, the ETag must match. ' +
          'If they do, the upload becomes `scanning`: the scanner checks it, then the server copies it to its ' +
          'final `key` and it becomes `available` (or `infected`, `held`, or `rejected` if it changed since); ' +
          'poll `GET /api/uploads/:id`. Where the deployment does not scan, it becomes `available` at once. ' +
          'If they do not match, the object is deleted and the upload is `rejected` with a `reason`. ' +
          '409 `upload.not_in_storage` when storage has no object yet. ' +
          'Calling it again returns the upload as it is.',
      }),
      ApiOkResponse({ type: UploadRecordDto }),
      ApiProblemResponses(404, 409, 429),
    ),

  signParts: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary: 'Sign UploadPart URLs for up to 100 parts of a multipart upload',
        description:
          'Each URL signs `Content-Length` (exactly that part’s size) and `Content-MD5` (the `md5` given), so ' +
          'storage refuses any other bytes. PUT the part with the returned `headers`. URLs live minutes ' +
          '(`UPLOAD_PART_URL_EXPIRES_SECONDS`): sign each part just before sending it, and again if it lapsed. ' +
          'Part numbers outside 1..partCount are 400 `partNumber.invalid`. Owner only.',
      }),
      ApiOkResponse({ type: SignedPartsDto }),
      ApiProblemResponses(400, 404, 409, 429),
    ),

  listParts: () =>
    applyDecorators(
      ApiUploadId(),
      ApiOperation({
        summary: 'The parts storage holds for a pending multipart upload (all pages of ListParts)',
        description: 'What a resumed upload need not send again.',
      }),
      ApiOkResponse({ type: StoredPartsDto }),
      ApiProblemResponses(404, 409, 429),
    ),
};
