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
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type {
  CreatedUpload,
  SignedParts,
  StoredParts,
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
import { CreatedMultipartUploadDto, CreatedPostUploadDto } from './dto/created-upload.dto';
import { SignPartsDto } from './dto/sign-parts.dto';
import { SignedPartsDto, StoredPartsDto } from './dto/parts.dto';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadCompletionService } from './upload-completion.service';
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
@ApiExtraModels(CreatedPostUploadDto, CreatedMultipartUploadDto)
@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly records: UploadRecordsService,
    private readonly multipart: MultipartUploadsService,
    private readonly completion: UploadCompletionService,
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
    summary: 'Create an upload: its record, and a POST policy for exactly that file, or a plan of parts',
    description:
      'Records a pending upload (within the quota). For a single POST (`method: post`) it signs a short-lived ' +
      'POST that pins the bucket, a server-made key, the exact Content-Type and size, and Content-MD5 when ' +
      '`md5` is given: POST `post.fields` and then the file to `post.url`. Above `multipartThreshold`, or ' +
      'with `"method": "multipart"`, it starts a multipart upload (`method: multipart`, `partSize`, ' +
      '`partCount`): sign parts with `POST /api/uploads/{id}/parts` and PUT them. Then call ' +
      '`POST /api/uploads/{id}/complete`.',
  })
  @ApiCreatedResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(CreatedPostUploadDto) },
        { $ref: getSchemaPath(CreatedMultipartUploadDto) },
      ],
      discriminator: { propertyName: 'method' },
    },
  })
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
      'A multipart upload is first joined from the parts storage lists (never a list from the client): ' +
      'every part from 1 to partCount, each of its planned size, or 409 `upload.parts_incomplete` naming ' +
      'the parts to send. ' +
      'HeadObject: the size, the Content-Type and, when an MD5 was declared, the ETag must match. ' +
      'If they do, the upload becomes `available`; if not, the object is deleted and the upload is ' +
      '`rejected` with a `reason`. 409 `upload.not_in_storage` when storage has no object yet. ' +
      'Calling it again returns the upload as it is.',
  })
  @ApiOkResponse({ type: UploadRecordDto })
  @ApiProblemResponses(404, 409, 429)
  @Scopes('uploads:write')
  complete(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<UploadRecord> {
    return this.completion.complete(id, principal);
  }

  @Post(':id/parts')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'Sign UploadPart URLs for up to 100 parts of a multipart upload',
    description:
      'Each URL signs `Content-Length` (exactly that part’s size) and `Content-MD5` (the `md5` given), so ' +
      'storage refuses any other bytes. PUT the part with the returned `headers`. URLs live minutes ' +
      '(`UPLOAD_PART_URL_EXPIRES_SECONDS`): sign each part just before sending it, and again if it lapsed. ' +
      'Part numbers outside 1..partCount are 400 `partNumber.invalid`. Owner only.',
  })
  @ApiOkResponse({ type: SignedPartsDto })
  @ApiProblemResponses(400, 404, 409, 429)
  @Scopes('uploads:write')
  signParts(
    @Param('id') id: string,
    @Body() body: SignPartsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SignedParts> {
    return this.multipart.signParts(id, body, principal);
  }

  @Get(':id/parts')
  @Header('Cache-Control', 'no-store')
  @ApiParam(ID)
  @ApiOperation({
    summary: 'The parts storage holds for a pending multipart upload (all pages of ListParts)',
    description: 'What a resumed upload need not send again.',
  })
  @ApiOkResponse({ type: StoredPartsDto })
  @ApiProblemResponses(404, 409, 429)
  @Scopes('uploads:read')
  listParts(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<StoredParts> {
    return this.multipart.listParts(id, principal);
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
      'Cancel a pending upload (a multipart one is aborted at storage), or delete an available one (its object goes; its record stays, deleted)',
    description: 'Idempotent: deleting again answers 204 too.',
  })
  @ApiNoContentResponse({ description: 'Canceled or deleted' })
  @ApiProblemResponses(404, 429)
  @Scopes('uploads:write')
  async delete(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.records.delete(id, principal);
  }
}
