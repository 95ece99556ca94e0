import { createValidationPipe, type ProblemException } from '@dropgate/api/util-http';
import { CreateUploadDto } from './create-upload.dto';

const valid = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };

describe('CreateUploadDto', () => {
  const reference = createValidationPipe({ handChecks: false });
  const sut = createValidationPipe();
  const outcome = async (pipe: ReturnType<typeof createValidationPipe>, body: unknown) => {
    try {
      const value = await pipe.transform(body, { type: 'body', metatype: CreateUploadDto });
      return { value, isDto: value instanceof CreateUploadDto };
    } catch (error) {
      return { codes: (error as ProblemException).problem.errors.map((e) => `${e.field}:${e.code}`) };
    }
  };

  it.each<[string, unknown, string[] | 'valid']>([
    ['a multipart request', { ...valid, method: 'multipart' }, 'valid'],
    ['a post request with an MD5', { ...valid, method: 'post', md5: 'XUFAKrxLKna5cZ2REBfFkg==' }, 'valid'],
    ['a null method and MD5 (as if absent)', { ...valid, method: null, md5: null }, 'valid'],
    ['an unknown method', { ...valid, method: 'tus' }, ['method:method.invalid']],
    ['a method in capitals', { ...valid, method: 'MULTIPART' }, ['method:method.invalid']],
    ['a method as an array', { ...valid, method: ['post'] }, ['method:method.invalid']],
    ['a hex MD5', { ...valid, md5: '5d41402abc4b2a76b9719d911017c592' }, ['md5:md5.invalid']],
    ['an MD5 as a number', { ...valid, md5: 5 }, ['md5:md5.invalid']],
    // Names every object inherits are unknown fields like any other.
    ['a toString field', { ...valid, toString: 'x' }, ['toString:field.unknown']],
    ['a valueOf field', { ...valid, valueOf: 1 }, ['valueOf:field.unknown']],
    ['a hasOwnProperty field', { ...valid, hasOwnProperty: 1 }, ['hasOwnProperty:field.unknown']],
    ['a constructor field', { ...valid, constructor: 'x' }, ['constructor:field.unknown']],
    [
      'a __proto__ field',
      JSON.parse(`{"__proto__": {"size": 1}, "fileName": "a.pdf"}`),
      ['__proto__:field.unknown'],
    ],
  ])('should check %s as class-validator does', async (_case, body, expected) => {
    const checked = await outcome(sut, body);
    expect(checked).toEqual(await outcome(reference, body));
    expect(checked).toEqual(expected === 'valid' ? { value: body, isDto: true } : { codes: expected });
  });
});
