import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type {
  CreatedUpload,
  DownloadLink,
  UploadPage,
  PresignedPost,
  Principal,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { ApiProblemResponses, CurrentPrincipal, Scopes } from '@dropgate/api/util-http';
import { CreatePresignedPostDto } from './dto/create-presigned-post.dto';
import { CreateUploadDto } from './dto/create-upload.dto';
import { CreatedUploadDto } from './dto/created-upload.dto';
import { PresignedPostDto } from './dto/presigned-post.dto';
import { UploadRecordDto } from './dto/upload-record.dto';
import { UploadsConfigDto } from './dto/uploads-config.dto';
import { UploadsService } from './uploads.service';
import { UploadRecordsService, type ListQuery } from './upload-records.service';
import { DownloadLinkDto, UploadPageDto } from './dto/upload-page.dto';

const ID = {
  name: 'id',
  description: 'The upload id (a UUIDv7)',
  example: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55',
};

/** What `reply.header()` offers, for the deprecation headers of the old route. */
interface HeaderReply {
  header(name: string, value: string): unknown;
}

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly records: UploadRecordsService,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'Your uploads, newest first; uploads:admin may list one owner’s (owner=<subject>) or everyone’s (owner=*)',
    description:
      'Pages stay stable while uploads arrive: pass `nextCursor` back as `cursor`. A cursor made for another query, or changed, is 400 `cursor.invalid`.',
  })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['pending', 'available', 'rejected', 'expired', 'canceled', 'deleted'],
  })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 100 (default 25)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({
    name: 'owner',
    required: false,
    description: 'uploads:admin only: a subject, or * for everyone',
  })
  @ApiOkResponse({ type: UploadPageDto })
  @ApiProblemResponses(400, 429)
  @Scopes('uploads:read')
  list(@Query() query: ListQuery, @CurrentPrincipal() principal: Principal): Promise<UploadPage> {
    return this.records.list(query, principal);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Create an upload: its record, and a POST policy for exactly that file',
    description:
      'Records a pending upload (within the quota), then signs a short-lived POST that pins the bucket, ' +
      'a server-made key, the exact Content-Type and size, and Content-MD5 when `md5` is given. POST ' +
      '`post.fields` and then the file to `post.url`, then call `POST /api/uploads/{id}/complete`.',
  })
  @ApiCreatedResponse({ type: CreatedUploadDto })
  @ApiProblemResponses(400, 409, 413, 415, 429, 500)
  @Scopes('uploads:write')
  create(@Body() body: CreateUploadDto, @CurrentPrincipal() principal: Principal): Promise<CreatedUpload> {
    return this.uploads.create(body, principal);
  }

  @Post('presigned-post')
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign a POST policy for one file (deprecated: use POST /api/uploads)',
    deprecated: true,
    description:
      'Kept for existing clients: creates the same record as `POST /api/uploads` and answers in the old ' +
      'shape, plus `id`. Sends `Deprecation` and `Link: <…/api/uploads>; rel="successor-version"` (RFC 9745).',
  })
  @ApiCreatedResponse({ type: PresignedPostDto })
  @ApiProblemResponses(400, 409, 413, 415, 429, 500)
  @Scopes('uploads:write')
  createPresignedPost(
    @Body() body: CreatePresignedPostDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: HeaderReply,
  ): Promise<PresignedPost> {
    // RFC 9745: deprecated since this date (the structured-field date of the records release).
    reply.header('Deprecation', '@1795564800');
    reply.header('Link', '</api/uploads>; rel="successor-version"');
    return this.uploads.createPresignedPost(body, principal);
  }

  @Get('config')
  @Scopes('uploads:write')
  @ApiOperation({ summary: 'The rules presigned POSTs are issued by, for checking files before asking' })
  @ApiOkResponse({ type: UploadsConfigDto })
  @ApiProblemResponses(429)
  getConfig(): UploadsConfig {
    return this.uploads.getConfig();
  }

  @Post(':id/complete')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Verify the stored object and make the upload available (or rejected)',
    description:
      'HeadObject: the size, the Content-Type and, when an MD5 was declared, the ETag must match. ' +
      'If they do, the upload becomes `available`; if not, the object is deleted and the upload is ' +
      '`rejected` with a `reason`. 409 `upload.not_in_storage` when storage has no object yet. ' +
      'Calling it again returns the upload as it is.',
  })
  @ApiOkResponse({ type: UploadRecordDto })
  @ApiProblemResponses(404, 409, 429)
  @Scopes('uploads:write')
  complete(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<UploadRecord> {
    return this.uploads.complete(id, principal);
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'One upload: to its owner, or to uploads:admin; 404 for anyone else, as for no upload',
  })
  @ApiOkResponse({ type: UploadRecordDto })
  @ApiProblemResponses(404, 429)
  @Scopes('uploads:read')
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<UploadRecord> {
    return this.records.get(id, principal);
  }

  @Get(':id/download')
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'A short-lived link that downloads an available upload under its own name',
    description:
      "A presigned GET (`DOWNLOAD_URL_EXPIRES_SECONDS`, default 60) with `response-content-disposition: attachment; filename*=UTF-8''…` and `response-content-type`. 409 `upload.not_available` for any other status.",
  })
  @ApiOkResponse({ type: DownloadLinkDto })
  @ApiProblemResponses(404, 409, 429)
  @Scopes('uploads:read')
  download(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<DownloadLink> {
    return this.records.download(id, principal);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(ID)
  @ApiOperation({
    summary:
      'Cancel a pending upload, or delete an available one (its object goes; its record stays, deleted)',
    description: 'Idempotent: deleting again answers 204 too.',
  })
  @ApiNoContentResponse({ description: 'Canceled or deleted' })
  @ApiProblemResponses(404, 429)
  @Scopes('uploads:write')
  async delete(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.records.delete(id, principal);
  }
}
