import { createValidationPipe, type ProblemException } from '@dropgate/api/util-http';
import { CreateUploadsBatchDto } from './create-uploads-batch.dto';
import { CreateUploadDto } from './create-upload.dto';

const file = { fileName: 'a.pdf', contentType: 'application/pdf', size: 10 };
const files = (count: number) => Array.from({ length: count }, () => ({ ...file }));

describe('CreateUploadsBatchDto', () => {
  const reference = createValidationPipe({ handChecks: false });
  const sut = createValidationPipe();
  const outcome = async (pipe: ReturnType<typeof createValidationPipe>, body: unknown) => {
    try {
      const value = (await pipe.transform(body, { type: 'body', metatype: CreateUploadsBatchDto })) as
        CreateUploadsBatchDto | undefined;
      return {
        valid:
          value instanceof CreateUploadsBatchDto && value.files.every((f) => f instanceof CreateUploadDto),
      };
    } catch (error) {
      return { codes: (error as ProblemException).problem.errors.map((e) => `${e.field}:${e.code}`) };
    }
  };

  it.each<[string, unknown, string[] | 'valid']>([
    ['one file', { files: files(1) }, 'valid'],
    ['a hundred files', { files: files(100) }, 'valid'],
    ['no files field', {}, ['files:files.required']],
    ['files as an object', { files: file }, ['files:files.invalid']],
    ['an empty list', { files: [] }, ['files:files.invalid']],
    ['a hundred and one files', { files: files(101) }, ['files:files.too_many']],
    ['an unknown field beside files', { files: files(1), note: 'x' }, ['note:field.unknown']],
    [
      'bad files among good ones, named by index',
      { files: [file, { ...file, size: '5' }, file, { ...file, method: 'tus', extra: 1 }] },
      ['files.1.size:size.not_integer', 'files.3.extra:field.unknown', 'files.3.method:method.invalid'],
    ],
  ])('should check %s as class-validator does', async (_case, body, expected) => {
    const checked = await outcome(sut, body);
    expect(checked).toEqual(await outcome(reference, body));
    expect(checked).toEqual(expected === 'valid' ? { valid: true } : { codes: expected });
  });

  // class-validator lets these through unseen (or reports them without a code of ours).
  it.each<[string, unknown, string[]]>([
    ['a file that is not an object', { files: [file, 'a.pdf'] }, ['files.1:files.item_not_object']],
    ['a file that is null', { files: [null] }, ['files.0:files.item_not_object']],
    [
      'a file with a constructor field',
      { files: [{ ...file, constructor: 'x' }] },
      ['files.0.constructor:field.unknown'],
    ],
    [
      'a file with a __proto__ field',
      { files: [JSON.parse('{"__proto__": {"size": 1}, "fileName": "a.pdf"}')] },
      ['files.0.__proto__:field.unknown'],
    ],
  ])('should refuse %s by its index', async (_case, body, expected) => {
    expect(await outcome(sut, body)).toEqual({ codes: expected });
  });
});
