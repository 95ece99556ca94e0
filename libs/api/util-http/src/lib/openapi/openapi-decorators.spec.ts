import 'reflect-metadata';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- the reference the stand-ins must match
import * as real from '@nestjs/swagger';
import * as deferred from './openapi-decorators';

/** Every piece of swagger metadata on a class, its prototype's members, and their functions. */
function swaggerMetadata(type: abstract new (...args: never[]) => unknown): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const collect = (label: string, target: object, key?: string) => {
    const keys =
      key === undefined ? Reflect.getOwnMetadataKeys(target) : Reflect.getOwnMetadataKeys(target, key);
    for (const name of keys.filter((k) => String(k).startsWith('swagger/')))
      found[`${label} ${String(name)}`] =
        key === undefined ? Reflect.getOwnMetadata(name, target) : Reflect.getOwnMetadata(name, target, key);
  };
  collect('class', type);
  collect('prototype', type.prototype);
  for (const key of Object.getOwnPropertyNames(type.prototype)) {
    collect(`prototype.${key}`, type.prototype, key);
    const value = (type.prototype as Record<string, unknown>)[key];
    if (typeof value === 'function' && key !== 'constructor') collect(`${key}()`, value);
  }
  for (const key of ['size', 'name', 'tags']) collect(`prototype.${key}`, type.prototype, key);
  return found;
}

/** The same class twice: once with the real decorators, once with the deferred ones. */
function describedWith(api: typeof real | typeof deferred) {
  class ItemDto {
    @api.ApiProperty({ example: 'a.pdf', description: 'The file name' })
    name!: string;

    @api.ApiPropertyOptional({ minimum: 0 })
    size?: number;

    @api.ApiProperty({ type: [String] })
    tags!: string[];
  }

  @api.ApiTags('items')
  @api.ApiExtraModels(ItemDto)
  class ItemsController {
    @api.ApiOperation({ summary: 'Lists items' })
    @api.ApiOkResponse({ type: ItemDto })
    @api.ApiResponse({ status: 404, description: 'No such list' })
    @api.ApiParam({ name: 'id', format: 'uuid' })
    @api.ApiQuery({ name: 'limit', required: false })
    @api.ApiHeader({ name: 'Idempotency-Key', required: false })
    @api.ApiBearerAuth('bearer')
    @api.ApiExtension('x-required-scopes', ['items:read'])
    list(): ItemDto[] {
      return [];
    }

    @api.ApiCreatedResponse({ type: ItemDto })
    @api.ApiNoContentResponse()
    create(): void {
      return undefined;
    }
  }
  return { ItemDto, ItemsController };
}

describe('deferred OpenAPI decorators', () => {
  const before = describedWith(deferred);

  it('should record nothing on the classes until @nestjs/swagger is loaded', () => {
    expect(swaggerMetadata(before.ItemDto)).toEqual({});
    expect(swaggerMetadata(before.ItemsController)).toEqual({});
  });

  it('should then leave the same metadata as the real decorators, and apply at once afterwards', async () => {
    await deferred.loadSwagger();
    const reference = describedWith(real);
    const dto = swaggerMetadata(reference.ItemDto);
    const controller = swaggerMetadata(reference.ItemsController);
    // The reference carries metadata for every decorator, so an empty comparison cannot pass.
    expect(Object.keys(dto).length).toBeGreaterThan(2);
    expect(Object.keys(controller).length).toBeGreaterThan(6);

    // Classes compare by name: each call of describedWith defines its own ItemDto.
    const named = (metadata: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(metadata, (_key, value) =>
          typeof value === 'function' ? `class ${value.name}` : value,
        ),
      );
    expect(named(swaggerMetadata(before.ItemDto))).toEqual(named(dto));
    expect(named(swaggerMetadata(before.ItemsController))).toEqual(named(controller));
    const after = describedWith(deferred);
    expect(named(swaggerMetadata(after.ItemDto))).toEqual(named(dto));
    expect(named(swaggerMetadata(after.ItemsController))).toEqual(named(controller));
  });

  it('should give the same schema paths as @nestjs/swagger', () => {
    class UploadRecordDto {}
    expect(deferred.getSchemaPath(UploadRecordDto)).toBe(real.getSchemaPath(UploadRecordDto));
    expect(deferred.getSchemaPath('ProblemDetailsDto')).toBe(real.getSchemaPath('ProblemDetailsDto'));
  });
});
