import { Body, Controller, Header, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiProblemResponses,
  CurrentPrincipal,
  Scopes,
} from '@dropgate/api/util-http';
import type { Principal, UploadRecord } from '@dropgate/shared/api-contract';
import { ReleaseUploadDto } from '../dto/release-upload.dto';
import { UploadRecordDto } from '../dto/upload-record.dto';
import { ApiUploadId } from '../upload-id.api-docs';
import { UploadReleaseService } from './upload-release.service';

/** Review of uploads the scanner could not judge. */
@ApiTags('uploads')
@Controller('uploads')
export class UploadReleaseController {
  constructor(private readonly releases: UploadReleaseService) {}

  @Post(':id/release')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiUploadId()
  @ApiOperation({
    summary: 'Release a held upload: it becomes available, recording who released it and why',
    description:
      'For `uploads:admin`. A held upload was not scanned: too large (`UPLOAD_SCAN_MAX_BYTES`), encrypted, ' +
      'or beyond the scanner’s limits. Releasing copies it to its final key as it was verified; if the staged ' +
      'object changed since, the upload is `rejected` (`changed_after_verification`) and nothing is offered. ' +
      '409 `upload.not_held` for any other status. An admin may also DELETE a held upload.',
  })
  @ApiOkResponse({ type: UploadRecordDto })
  @ApiProblemResponses(400, 403, 404, 409, 429)
  @Scopes('uploads:admin')
  release(
    @Param('id') id: string,
    @Body() body: ReleaseUploadDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UploadRecord> {
    return this.releases.release(id, body.reason, principal);
  }
}
