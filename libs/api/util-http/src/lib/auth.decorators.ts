import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal, UploadScope } from '@dropgate/shared/api-contract';

// What features say about access; feature-auth's AuthGuard enforces it. They live here, in a util
// library, because features may depend on utilities but not on one another.

export const PUBLIC_ROUTE = 'dropgate:public';
export const REQUIRED_SCOPES = 'dropgate:scopes';

/** A route or controller anyone may call: health, docs, the auth configuration. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The scopes a token must carry, every one of them, for this route. */
export const Scopes = (...scopes: UploadScope[]) => SetMetadata(REQUIRED_SCOPES, scopes);

/** The request's principal, set by the AuthGuard; undefined only while identity is not configured. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
