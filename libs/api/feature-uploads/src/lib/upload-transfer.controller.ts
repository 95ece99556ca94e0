import { Body, Controller, Get, Header, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiTags,
  CurrentPrincipal,
  Idempotency,
  IdempotencyKey,
  Idempotent,
  Scopes,
  type IdempotentRequest,
} from '@dropgate/api/util-http';
import type { Principal, SignedParts, StoredParts, UploadRecord } from '@dropgate/shared/api-contract';
import { SignPartsDto } from './dto/sign-parts.dto';
import { MultipartUploadsService } from './multipart-uploads.service';
import { UploadCompletionService } from './upload-completion.service';
import { UploadTransferApiDocs as Docs } from './upload-transfer.api-docs';

/** While the bytes travel: part URLs, the parts storage holds, and completion. */
@ApiTags('uploads')
@Controller('uploads')
export class UploadTransferController {
  constructor(
    private readonly multipart: MultipartUploadsService,
    private readonly completion: UploadCompletionService,
    private readonly idempotency: Idempotency,
  ) {}

  @Post(':id/complete')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Docs.complete()
  @Scopes('uploads:write')
  @Idempotent()
  complete(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKey() keyed: IdempotentRequest | undefined,
  ): Promise<UploadRecord> {
    return this.idempotency.run('leased', keyed, () => this.completion.complete(id, principal));
  }

  @Post(':id/parts')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Docs.signParts()
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
  @Docs.listParts()
  @Scopes('uploads:read')
  listParts(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<StoredParts> {
    return this.multipart.listParts(id, principal);
  }
}
