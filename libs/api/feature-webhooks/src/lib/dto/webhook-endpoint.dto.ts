import { ApiProperty, ApiPropertyOptional, code } from '@dropgate/api/util-http';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import {
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointRequest,
  type WebhookEventType,
} from '@dropgate/shared/api-contract';

const URL_HELP = 'url must be an https: URL (or http: to a network in WEBHOOK_ALLOWED_CIDRS)';
const TYPES_HELP = `eventTypes must list one or more of ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookEndpointDto implements WebhookEndpointRequest {
  @ApiProperty({ example: 'https://hooks.example.com/dropgate', maxLength: 2048 })
  @MaxLength(2048, { message: 'url must be at most 2048 characters', ...code('url.invalid') })
  @IsString({ message: URL_HELP, ...code('url.invalid') })
  @IsDefined({ message: `url is required: ${URL_HELP}`, ...code('url.required') })
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true, example: ['upload.available', 'upload.deleted'] })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: TYPES_HELP, ...code('eventTypes.invalid') })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length * 2, { message: TYPES_HELP, ...code('eventTypes.invalid') })
  @ArrayMinSize(1, { message: TYPES_HELP, ...code('eventTypes.invalid') })
  @IsArray({ message: TYPES_HELP, ...code('eventTypes.invalid') })
  @IsDefined({ message: TYPES_HELP, ...code('eventTypes.invalid') })
  eventTypes!: WebhookEventType[];

  @ApiPropertyOptional({ example: 'Archive service', maxLength: 500 })
  @MaxLength(500, { message: 'description must be at most 500 characters', ...code('description.invalid') })
  @IsString({ message: 'description must be a string', ...code('description.invalid') })
  @IsOptional()
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsBoolean({ message: 'enabled must be true or false', ...code('enabled.invalid') })
  @IsOptional()
  enabled?: boolean;
}

/** PATCH: any field of a registration; a new URL is checked again. */
export class UpdateWebhookEndpointDto implements Partial<WebhookEndpointRequest> {
  @ApiPropertyOptional({ example: 'https://hooks.example.com/dropgate', maxLength: 2048 })
  @MaxLength(2048, { message: 'url must be at most 2048 characters', ...code('url.invalid') })
  @IsString({ message: URL_HELP, ...code('url.invalid') })
  @IsOptional()
  url?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES, isArray: true })
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: TYPES_HELP, ...code('eventTypes.invalid') })
  @ArrayMinSize(1, { message: TYPES_HELP, ...code('eventTypes.invalid') })
  @IsArray({ message: TYPES_HELP, ...code('eventTypes.invalid') })
  @IsOptional()
  eventTypes?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 500 })
  @MaxLength(500, { message: 'description must be at most 500 characters', ...code('description.invalid') })
  @IsString({ message: 'description must be a string', ...code('description.invalid') })
  @IsOptional()
  description?: string;

  @ApiPropertyOptional()
  @IsBoolean({ message: 'enabled must be true or false', ...code('enabled.invalid') })
  @IsOptional()
  enabled?: boolean;
}

export class RecoverDto {
  @ApiProperty({
    example: '2026-11-28T00:00:00Z',
    description: 'Replays failed and skipped deliveries since then',
  })
  @IsString({
    message: 'since must be an ISO 8601 time, e.g. 2026-11-28T00:00:00Z',
    ...code('since.invalid'),
  })
  @IsDefined({ message: 'since is required: an ISO 8601 time', ...code('since.invalid') })
  since!: string;
}
