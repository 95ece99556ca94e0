import { Body, Controller, Get, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PresignedPost, Principal, UploadsConfig } from '@dropgate/shared/api-contract';
import { ApiProblemResponses, CurrentPrincipal, Scopes } from '@dropgate/api/util-http';
import { CreatePresignedPostDto } from './dto/create-presigned-post.dto';
import { PresignedPostDto } from './dto/presigned-post.dto';
import { UploadsConfigDto } from './dto/uploads-config.dto';
import { UploadsService } from './uploads.service';

@ApiTags('uploads')
@Controller('uploads')
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post('presigned-post')
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Sign a POST policy for one file',
    description:
      'Returns a short-lived presigned POST that pins the bucket, a server-made key, the exact ' +
      'Content-Type and the exact size. POST `fields` and then the file to `url`; S3 enforces the policy.',
  })
  @ApiCreatedResponse({ type: PresignedPostDto })
  @ApiProblemResponses(400, 413, 415, 429, 500)
  @Scopes('uploads:write')
  createPresignedPost(
    @Body() body: CreatePresignedPostDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PresignedPost> {
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
}
