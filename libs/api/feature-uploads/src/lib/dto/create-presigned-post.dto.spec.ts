import { createValidationPipe, ProblemException } from '@dropgate/api/util-http';
import { CreatePresignedPostDto, MAX_FILE_NAME_LENGTH } from './create-presigned-post.dto';

const valid = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };

async function codesFor(body: unknown): Promise<string[]> {
  const sut = createValidationPipe();
  try {
    await sut.transform(body, { type: 'body', metatype: CreatePresignedPostDto });
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).problem.errors.map((e) => `${e.field}:${e.code}`);
  }
  return [];
}

describe('CreatePresignedPostDto validation', () => {
  it('should accept a valid body and return a DTO instance', async () => {
    const sut = createValidationPipe();
    const result = await sut.transform({ ...valid }, { type: 'body', metatype: CreatePresignedPostDto });
    expect(result).toBeInstanceOf(CreatePresignedPostDto);
    expect(result).toEqual(valid);
  });

  it.each<[string, unknown, string[]]>([
    [
      'an empty object',
      {},
      ['fileName:fileName.required', 'contentType:contentType.required', 'size:size.required'],
    ],
    ['an array', [valid], [':body.not_object']],
    ['a string', 'a.pdf', [':body.not_object']],
    ['a number', 42, [':body.not_object']],
    ['size as a string', { ...valid, size: '10' }, ['size:size.not_integer']],
    ['a fractional size', { ...valid, size: 1.5 }, ['size:size.not_integer']],
    ['a negative size', { ...valid, size: -1 }, ['size:size.too_small']],
    ['a zero size', { ...valid, size: 0 }, ['size:size.too_small']],
    ['size as an object', { ...valid, size: { $gt: 0 } }, ['size:size.not_integer']],
    ['size null', { ...valid, size: null }, ['size:size.required']],
    ['an empty name', { ...valid, fileName: '' }, ['fileName:fileName.required']],
    ['a numeric name', { ...valid, fileName: 123 }, ['fileName:fileName.not_string']],
    [
      'a name of 10,000 characters',
      { ...valid, fileName: 'a'.repeat(10_000) },
      ['fileName:fileName.too_long'],
    ],
    [
      'a type as an array',
      { ...valid, contentType: ['application/pdf'] },
      ['contentType:contentType.not_string'],
    ],
    ['an unknown field', { ...valid, acl: 'public-read' }, ['acl:field.unknown']],
    [
      'a prototype-pollution field',
      JSON.parse(`{"fileName":"a.pdf","contentType":"application/pdf","size":1,"__proto__":{"x":1}}`),
      ['__proto__:field.unknown'],
    ],
  ])('should reject %s', async (_case, body, expected) => {
    expect(await codesFor(body)).toEqual(expected);
  });
});

describe('CreatePresignedPostDto.check', () => {
  const reference = createValidationPipe({ handChecks: false });
  const sut = createValidationPipe();
  const outcome = async (pipe: ReturnType<typeof createValidationPipe>, body: unknown) => {
    try {
      const value = await pipe.transform(body, { type: 'body', metatype: CreatePresignedPostDto });
      return { value, isDto: value instanceof CreatePresignedPostDto, keys: Object.keys(value) };
    } catch (error) {
      return { problem: (error as ProblemException).problem };
    }
  };
  const surrogate = '\u{1F600}';

  it.each<[string, unknown]>([
    ['a valid body', valid],
    [
      'a valid body with its fields in another order',
      { size: 10, contentType: 'text/plain', fileName: 'a.txt' },
    ],
    ['an empty object', {}],
    ['every field null', { fileName: null, contentType: null, size: null }],
    ['every field of the wrong kind', { fileName: 1, contentType: true, size: 'x' }],
    ['empty strings', { fileName: '', contentType: '', size: 0 }],
    ['a name of exactly the limit', { ...valid, fileName: 'a'.repeat(MAX_FILE_NAME_LENGTH) }],
    ['a name one over the limit', { ...valid, fileName: 'a'.repeat(MAX_FILE_NAME_LENGTH + 1) }],
    [
      'a limit of emoji (counted as one each)',
      { ...valid, fileName: surrogate.repeat(MAX_FILE_NAME_LENGTH) },
    ],
    ['emoji one over the limit', { ...valid, fileName: surrogate.repeat(MAX_FILE_NAME_LENGTH + 1) }],
    ['a size of 1', { ...valid, size: 1 }],
    ['a size of 0.5', { ...valid, size: 0.5 }],
    ['a huge size', { ...valid, size: 1e300 }],
    ['a negative zero size', { ...valid, size: -0 }],
    ['a size of Infinity', { ...valid, size: Infinity }],
    ['a size of NaN', { ...valid, size: NaN }],
    ['a size as an array', { ...valid, size: [5] }],
    ['a name as an object', { ...valid, fileName: { toString: 'x' } }],
    ['one unknown field', { ...valid, acl: 'public-read' }],
    ['unknown fields before and after', { z: 1, ...valid, a: 2 }],
    ['unknown fields and missing ones', { extra: true }],
    ['a constructor field', { ...valid, constructor: 'x' }],
    [
      'a __proto__ field',
      JSON.parse(`{"__proto__":{"x":1},"fileName":"a.pdf","contentType":"a/b","size":2}`),
    ],
    ['an empty key', { ...valid, '': 1 }],
  ])('should match class-validator for %s', async (_case, body) => {
    expect(await outcome(sut, body)).toEqual(await outcome(reference, body));
  });

  it('should be what the global pipe uses for this DTO', async () => {
    const check = jest.spyOn(CreatePresignedPostDto, 'check');
    await sut.transform({ ...valid }, { type: 'body', metatype: CreatePresignedPostDto });
    expect(check).toHaveBeenCalledTimes(1);
    check.mockRestore();
  });
});
