import { ApiProperty } from '@dropgate/api/util-http';
import type { AuthConfig } from '@dropgate/shared/api-contract';

export class AuthConfigDto implements AuthConfig {
  @ApiProperty({ example: 'https://login.example.com/realms/portal' })
  issuer!: string;

  @ApiProperty({ example: 'dropgate-web' })
  clientId!: string;

  @ApiProperty({
    example: ['openid', 'profile', 'offline_access', 'uploads:write', 'uploads:read', 'webhooks:admin'],
  })
  scopes!: string[];

  @ApiProperty({ example: 'api://dropgate' })
  audience!: string;
}
