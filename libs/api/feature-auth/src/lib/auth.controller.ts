import { Controller, Get, Header, Inject } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiProblemResponses,
  Public,
  problemFor,
} from '@dropgate/api/util-http';
import type { AuthConfig } from '@dropgate/shared/api-contract';
import { authConfig, type AuthSettings } from './auth.config';
import { AuthConfigDto } from './auth-config.dto';

/** What a web app needs to sign in, so that one build of it works against every environment. */
@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(@Inject(authConfig.KEY) private readonly settings: AuthSettings) {}

  @Get('config')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'The OpenID provider, client and scopes a web app signs in with' })
  @ApiOkResponse({ type: AuthConfigDto })
  @ApiProblemResponses(404)
  getConfig(): AuthConfig {
    const { issuer, webClientId, webScopes, audience } = this.settings;
    if (!webClientId) {
      const detail = 'OIDC_CLIENT_ID is not set: this API has no web app that signs in';
      throw problemFor('auth.not_configured', detail);
    }
    return { issuer, clientId: webClientId, scopes: webScopes, audience };
  }
}
