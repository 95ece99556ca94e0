import type * as Swagger from '@nestjs/swagger';

/**
 * `@nestjs/swagger`'s decorators, applied only when the OpenAPI document is first asked for.
 *
 * Loading `@nestjs/swagger` costs the API about 7 MB of memory for as long as it runs (its
 * decorators alone about 5 MB), and nothing but the document reads what they record. So these
 * stand-ins take the same arguments, remember each use (its target, key and descriptor, in the
 * order the classes were defined), and `loadSwagger()` loads the package and applies the real
 * decorators to the same targets, once, before the document is built. Routes and DTOs import them
 * from here; lint refuses a static value import of `@nestjs/swagger` anywhere.
 */

type SwaggerModule = typeof Swagger;

/** Every decorator Dropgate uses; add one here (and to DEFERRED) before using it. */
type DeferredName =
  | 'ApiBearerAuth'
  | 'ApiCreatedResponse'
  | 'ApiExtension'
  | 'ApiExtraModels'
  | 'ApiHeader'
  | 'ApiNoContentResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiParam'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiQuery'
  | 'ApiResponse'
  | 'ApiTags';

type AnyDecorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => unknown;

type Apply = (swagger: SwaggerModule) => void;

/** Uses not yet applied, in the order they were made. */
const recorded: Apply[] = [];
/** The package, once loaded and every recorded use applied; later uses apply at once. */
let applied: SwaggerModule | undefined;
let loading: Promise<SwaggerModule> | undefined;

function deferred<Name extends DeferredName>(name: Name): SwaggerModule[Name] {
  const factory =
    (...args: unknown[]): AnyDecorator =>
    (target, key, descriptor) => {
      const apply: Apply = (swagger) =>
        (swagger[name] as unknown as (...a: unknown[]) => AnyDecorator)(...args)(target, key, descriptor);
      if (applied) apply(applied);
      else recorded.push(apply);
      // Nothing returned: the property or method stays as it is, as with the real decorators.
      return undefined;
    };
  return factory as unknown as SwaggerModule[Name];
}

/**
 * Loads `@nestjs/swagger` and applies every decorator used so far. Resolves to the package, for
 * `SwaggerModule` and `DocumentBuilder`. A failed import is tried again by the next call; a
 * decorator that throws as it is applied (arguments the package refuses) fails this and every
 * later call, since the others may be applied already and must not be applied twice.
 */
export function loadSwagger(): Promise<SwaggerModule> {
  loading ??= import('@nestjs/swagger').then(
    (swagger) => {
      for (const apply of recorded) apply(swagger);
      recorded.length = 0;
      applied = swagger;
      return swagger;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExtension = deferred('ApiExtension');
export const ApiExtraModels = deferred('ApiExtraModels');
export const ApiHeader = deferred('ApiHeader');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiParam = deferred('ApiParam');
export const ApiProperty = deferred('ApiProperty');
export const ApiPropertyOptional = deferred('ApiPropertyOptional');
export const ApiQuery = deferred('ApiQuery');
export const ApiResponse = deferred('ApiResponse');
export const ApiTags = deferred('ApiTags');

/**
 * `$ref` of a model's schema, as `@nestjs/swagger`'s `getSchemaPath` gives it. That one also reads
 * a name set by `@ApiSchema`, which Dropgate does not use (nor offer here), so the class's name is
 * the schema's.
 */
export function getSchemaPath(model: string | (abstract new (...args: never[]) => unknown)): string {
  return `#/components/schemas/${typeof model === 'string' ? model : model.name}`;
}
