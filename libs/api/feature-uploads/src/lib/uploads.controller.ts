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
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiTags,
  BATCH_BODY_LIMIT_BYTES,
  CurrentPrincipal,
  Idempotency,
  IdempotencyKey,
  Idempotent,
  Scopes,
  type IdempotentRequest,
} from '@dropgate/api/util-http';
import type {
  CreatedUpload,
  CreatedUploadsBatch,
  DownloadLink,
  PresignedPost,
  Principal,
  UploadPage,
  UploadRecord,
  UploadsConfig,
  UploadUsage,
} from '@dropgate/shared/api-contract';
import { CreatePresignedPostDto } from './dto/create-presigned-post.dto';
import { CreateUploadDto } from './dto/create-upload.dto';
import { CreateUploadsBatchDto } from './dto/create-uploads-batch.dto';
import { UploadsService } from './uploads.service';
import { UploadRecordsService, type ListQuery } from './upload-records.service';
import { UploadsApiDocs as Docs } from './uploads.api-docs';

/** What `reply.header()` offers, for the deprecation headers of the old route. */
interface HeaderReply {
  header(name: string, value: string): unknown;
}

/** Uploads as records: create, list, read, download, delete. */
@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(
    private readonly uploads: UploadsService,
    private readonly records: UploadRecordsService,
    private readonly idempotency: Idempotency,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Docs.list()
  @Scopes('uploads:read')
  list(@Query() query: ListQuery, @CurrentPrincipal() principal: Principal): Promise<UploadPage> {
    return this.records.list(query, principal);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @Docs.create()
  @Scopes('uploads:write')
  @Idempotent()
  create(
    @Body() body: CreateUploadDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() keyed: IdempotentRequest | undefined,
  ): Promise<CreatedUpload> {
    return this.idempotency.run('atomic', keyed, () => this.uploads.create(body, principal));
  }

  @Post('batch')
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @RouteConfig({ bodyLimit: BATCH_BODY_LIMIT_BYTES })
  @Docs.createBatch()
  @Scopes('uploads:write')
  @Idempotent()
  createBatch(
    @Body() body: CreateUploadsBatchDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() keyed: IdempotentRequest | undefined,
  ): Promise<CreatedUploadsBatch> {
    return this.idempotency.run('atomic', keyed, () => this.uploads.createBatch(body.files, principal));
  }

  @Post('presigned-post')
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @Docs.createPresignedPost()
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
  @Docs.config()
  @Scopes('uploads:write')
  getConfig(): UploadsConfig {
    return this.uploads.getConfig();
  }

  @Get('usage')
  @Header('Cache-Control', 'no-store')
  @Docs.usage()
  @Scopes('uploads:read')
  usage(@CurrentPrincipal() principal: Principal): Promise<UploadUsage> {
    return this.records.usage(principal);
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  @Docs.get()
  @Scopes('uploads:read')
  get(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<UploadRecord> {
    return this.records.get(id, principal);
  }

  @Get(':id/download')
  @Header('Cache-Control', 'no-store')
  @Docs.download()
  @Scopes('uploads:read')
  download(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<DownloadLink> {
    return this.records.download(id, principal);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Docs.delete()
  @Scopes('uploads:write')
  async delete(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.records.delete(id, principal);
  }
}
