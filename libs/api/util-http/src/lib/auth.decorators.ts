import { SetMetadata, applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from './openapi/openapi-decorators';
import { ApiProblemResponses } from './problem-details.dto';
import type { Principal, UploadScope } from '@dropgate/shared/api-contract';

// What features say about access; feature-auth's AuthGuard enforces it. They live here, in a util
// library, because features may depend on utilities but not on one another.

export const PUBLIC_ROUTE = 'dropgate:public';
export const REQUIRED_SCOPES = 'dropgate:scopes';

/** A route or controller anyone may call: health, docs, the auth configuration. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The scopes a token must carry, every one of them, for this route. OpenAPI shows them as the
 * operation's bearer requirement and as `x-required-scopes`, with the refusals the guard makes.
 */
export const Scopes = (...scopes: UploadScope[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth('bearer'),
    ApiExtension('x-required-scopes', scopes),
    ApiProblemResponses(401, 403, 503),
  );

/** The request's principal, set by the AuthGuard on every route that is not @Public(). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const { principal } = context.switchToHttp().getRequest<{ principal?: Principal }>();
    if (!principal) throw new Error('@CurrentPrincipal() on a route the AuthGuard did not check');
    return principal;
  },
);
