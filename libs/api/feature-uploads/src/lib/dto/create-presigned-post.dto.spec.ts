import { createValidationPipe, ProblemException } from '@dropgate/api/util-http';
import { CreatePresignedPostDto } from './create-presigned-post.dto';

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
      [],
    ],
  ])('should reject %s', async (_case, body, expected) => {
    expect(await codesFor(body)).toEqual(expected);
  });
});
