import { normaliseContentType, typeAgreesWithExtension } from './content-type';

describe('normaliseContentType', () => {
  it.each([
    ['application/pdf', 'application/pdf'],
    ['Application/PDF', 'application/pdf'],
    ['  image/png  ', 'image/png'],
    ['text/plain; charset=UTF-8', 'text/plain;charset=UTF-8'],
    ['text/plain;Charset="utf-8"', 'text/plain;charset="utf-8"'],
    [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
  ])('should normalise %j to %j', (input, expected) => {
    expect(normaliseContentType(input)?.value).toBe(expected);
  });

  it.each([
    ['no subtype', 'application'],
    ['two slashes', 'a/b/c'],
    ['spaces inside', 'image/ png'],
    ['a parameter without a value', 'text/plain; charset'],
    ['a trailing semicolon', 'text/plain;'],
    ['a NUL byte', 'text/plain\u0000'],
    ['a wildcard', 'image/*'],
    ['too long', `application/${'x'.repeat(300)}`],
  ])('should refuse %s', (_case, input) => {
    expect(normaliseContentType(input)).toBeUndefined();
  });
});

describe('typeAgreesWithExtension', () => {
  it.each([
    ['application/pdf', 'pdf', true],
    ['image/jpeg', 'jpeg', true],
    ['image/jpeg', 'jpg', true],
    ['text/plain', 'md', true],
    ['text/markdown', 'md', true],
    ['application/x-custom', 'bin', true],
    ['application/pdf', 'exe', false],
    ['application/pdf', '', true],
    ['text/html', 'txt', false],
    ['image/png', 'pdf', false],
    ['application/x-custom', 'pdf', false],
    // Names of Object's own members find nothing in the tables, so they are unknown, not a crash.
    ['image/x-icon', 'constructor', true],
    ['image/x-icon', '__proto__', true],
    ['image/x-icon', 'toString', true],
    ['constructor', 'pdf', false],
  ])('%s with .%s → %s', (type, extension, expected) => {
    expect(typeAgreesWithExtension(type, extension)).toBe(expected);
  });
});
