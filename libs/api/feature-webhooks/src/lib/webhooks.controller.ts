import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags, ApiProblemResponses, Scopes } from '@dropgate/api/util-http';
import type {
  RecoverResult,
  WebhookDeliveryDetail,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointPage,
  WebhookEndpointWithSecret,
  WebhookTestQueued,
} from '@dropgate/shared/api-contract';
import { CreateWebhookEndpointDto, RecoverDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** The webhooks admin API: every route needs `webhooks:admin`. */
@ApiTags('webhooks')
@Scopes('webhooks:admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Post('endpoints')
  @HttpCode(HttpStatus.CREATED)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Register an endpoint; the answer holds its signing secret, shown this once',
    description:
      'The URL must be https: (or http: to a network in WEBHOOK_ALLOWED_CIDRS), without user info, and its host ' +
      'must not be a private, loopback or link-local address in any spelling: 400 `webhook.url_not_allowed`. ' +
      '503 `webhooks.not_configured` until WEBHOOK_SECRETS_KEY is set.',
  })
  @ApiProblemResponses(400, 403, 429, 503)
  create(@Body() body: CreateWebhookEndpointDto): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.create(body);
  }

  @Get('endpoints')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Every endpoint with its health; never a secret, only a hint' })
  async list(): Promise<WebhookEndpointPage> {
    return { items: await this.endpoints.list() };
  }

  @Get('endpoints/:id')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'One endpoint with its health' })
  @ApiProblemResponses(403, 404)
  get(@Param('id') id: string): Promise<WebhookEndpoint> {
    return this.endpoints.get(id);
  }

  @Patch('endpoints/:id')
  @ApiOperation({ summary: 'Change an endpoint; a new URL is checked again; enabled: true re-enables it' })
  @ApiProblemResponses(400, 403, 404)
  update(@Param('id') id: string, @Body() body: UpdateWebhookEndpointDto): Promise<WebhookEndpoint> {
    return this.endpoints.update(id, body);
  }

  @Delete('endpoints/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an endpoint, its deliveries and their attempts' })
  @ApiProblemResponses(403, 404)
  delete(@Param('id') id: string): Promise<void> {
    return this.endpoints.delete(id);
  }

  @Post('endpoints/:id/rotate-secret')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'A new signing secret, shown once; the old one is also signed with for the grace period',
    description: 'WEBHOOK_SECRET_GRACE_SECONDS (24 h by default). A second rotation during it answers 409.',
  })
  @ApiProblemResponses(403, 404, 409, 503)
  rotate(@Param('id') id: string): Promise<WebhookEndpointWithSecret> {
    return this.endpoints.rotateSecret(id);
  }

  @Post('endpoints/:id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a webhook.test event to this endpoint alone' })
  @ApiProblemResponses(403, 404)
  test(@Param('id') id: string): Promise<WebhookTestQueued> {
    return this.endpoints.test(id);
  }

  @Get('endpoints/:id/deliveries')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'The endpoint’s deliveries, newest first; ?status=&cursor=' })
  @ApiProblemResponses(400, 403, 404)
  deliveriesOf(
    @Param('id') id: string,
    @Query() query: { status?: unknown; cursor?: unknown },
  ): Promise<WebhookDeliveryPage> {
    return this.deliveries.list(id, query);
  }

  @Post('endpoints/:id/recover')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send again every failed or skipped delivery since a time, oldest first (same webhook-id)',
  })
  @ApiProblemResponses(400, 403, 404)
  recover(@Param('id') id: string, @Body() body: RecoverDto): Promise<RecoverResult> {
    return this.deliveries.recover(id, body.since);
  }

  @Get('deliveries/:id')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'A delivery, its body, and every attempt: time, duration, status, error, 1 KiB of response',
  })
  @ApiProblemResponses(403, 404)
  delivery(@Param('id') id: string): Promise<WebhookDeliveryDetail> {
    return this.deliveries.get(id);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a delivery again now, with the same webhook-id and body' })
  @ApiProblemResponses(403, 404)
  retry(@Param('id') id: string): Promise<WebhookDeliveryDetail> {
    return this.deliveries.retry(id);
  }
}
