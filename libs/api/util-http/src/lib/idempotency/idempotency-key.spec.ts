import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each([
    ['"8e03978e-40d5-43e8-bc93-6894a57f9324"', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['8e03978e-40d5-43e8-bc93-6894a57f9324', '8e03978e-40d5-43e8-bc93-6894a57f9324'],
    ['  file-1  ', 'file-1'],
    ['x'.repeat(255), 'x'.repeat(255)],
  ])('should read %s as one key', (header, key) => {
    expect(parseIdempotencyKey(header)).toBe(key);
  });

  it.each([
    ['an empty header', ''],
    ['empty quotes', '""'],
    ['one quote', '"abc'],
    ['a quote inside', 'a"b'],
    ['256 characters', 'x'.repeat(256)],
    ['a control character', 'a\u0001b'],
    ['non-ASCII', 'clé'],
  ])('should refuse %s', (_name, header) => {
    expect(parseIdempotencyKey(header)).toBeUndefined();
  });

  it('should refuse a header sent twice', () => {
    expect(parseIdempotencyKey(['a', 'b'])).toBeUndefined();
  });
});

describe('requestFingerprint', () => {
  const base = requestFingerprint('POST', '/api/uploads', {}, { fileName: 'a.pdf', size: 1 });

  it('should be the same for the same request', () => {
    expect(requestFingerprint('POST', '/api/uploads', {}, { fileName: 'a.pdf', size: 1 })).toBe(base);
  });

  it.each([
    ['another body', ['POST', '/api/uploads', {}, { fileName: 'a.pdf', size: 2 }]],
    ['another route', ['POST', '/api/uploads/:id/complete', {}, { fileName: 'a.pdf', size: 1 }]],
    ['other parameters', ['POST', '/api/uploads', { id: '1' }, { fileName: 'a.pdf', size: 1 }]],
  ] as const)('should differ for %s', (_name, [method, route, params, body]) => {
    expect(requestFingerprint(method, route, params, body)).not.toBe(base);
  });
});
