import { bearer, send, type RawResponse } from './support/http';
import { startApi, type RunningApi } from './support/api-process';

const PATH = '/api/uploads/presigned-post';
const valid = { fileName: 'q3 report.pdf', contentType: 'application/pdf', size: 12345 };

describe('bad input to POST /api/uploads/presigned-post', () => {
  let api: RunningApi;
  const post = (body: string, contentType = 'application/json') =>
    send(api.baseUrl, PATH, { method: 'POST', headers: { 'content-type': contentType, ...bearer() }, body });
  const postJson = (body: unknown) => post(JSON.stringify(body));

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  function expectProblem(response: RawResponse, status: number, codes: string[]) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toEqual(
      expect.objectContaining({
        type: expect.stringMatching(/^urn:dropgate:problem:/),
        title: expect.any(String),
        status,
        detail: expect.any(String),
      }),
    );
    expect(problem.errors.map((e) => `${e.field}:${e.code}`)).toEqual(codes);
    for (const error of problem.errors) expect(error.message.length).toBeGreaterThan(5);
  }

  it.each<[string, string, string, number, string[]]>([
    ['malformed JSON', '{"fileName":', 'application/json', 400, [':body.invalid_json']],
    ['an empty body', '', 'application/json', 400, [':body.invalid_json']],
    [
      'a form body',
      'fileName=a.pdf',
      'application/x-www-form-urlencoded',
      415,
      [':body.unsupported_media_type'],
    ],
    ['a text body', 'hello', 'text/plain', 415, [':body.unsupported_media_type']],
    [
      'a body over 16 KiB',
      JSON.stringify({ ...valid, fileName: 'a'.repeat(20_000) }),
      'application/json',
      413,
      [':body.too_large'],
    ],
  ])('%s', async (_case, body, contentType, status, codes) => {
    expectProblem(await post(body, contentType), status, codes);
  });

  it.each<[string, unknown, string[]]>([
    [
      'an empty object',
      {},
      ['fileName:fileName.required', 'contentType:contentType.required', 'size:size.required'],
    ],
    ['an array', [valid], [':body.not_object']],
    ['null', null, ['fileName:fileName.required', 'contentType:contentType.required', 'size:size.required']],
    ['size as a string', { ...valid, size: '12345' }, ['size:size.not_integer']],
    ['a negative size', { ...valid, size: -1 }, ['size:size.too_small']],
    ['a zero size', { ...valid, size: 0 }, ['size:size.too_small']],
    ['a fractional size', { ...valid, size: 12.5 }, ['size:size.not_integer']],
    ['a huge size', { ...valid, size: 1e300 }, ['size:size.too_large']],
    ['a size over the limit', { ...valid, size: 100 * 1024 * 1024 + 1 }, ['size:size.too_large']],
    ['a boolean size', { ...valid, size: true }, ['size:size.not_integer']],
    [
      'a name of 10,000 characters',
      { ...valid, fileName: `${'a'.repeat(9996)}.pdf` },
      ['fileName:fileName.too_long'],
    ],
    ['an empty name', { ...valid, fileName: '' }, ['fileName:fileName.required']],
    [
      'a name of only dots and slashes',
      { ...valid, fileName: '../..' },
      ['fileName:fileName.no_usable_characters'],
    ],
    [
      'an RTL-override name hiding .exe',
      { ...valid, fileName: 'invoice\u202Efdp.exe' },
      ['contentType:contentType.extension_mismatch'],
    ],
    [
      'a type outside the allowlist',
      { fileName: 'setup.exe', contentType: 'application/x-msdownload', size: 10 },
      ['contentType:contentType.not_allowed'],
    ],
    ['a type that is not a MIME type', { ...valid, contentType: 'pdf' }, ['contentType:contentType.invalid']],
    [
      'a type with a bad parameter',
      { ...valid, contentType: 'application/pdf; charset' },
      ['contentType:contentType.invalid'],
    ],
    [
      'a type that contradicts the name',
      { ...valid, fileName: 'photo.png' },
      ['contentType:contentType.extension_mismatch'],
    ],
    ['an unknown field', { ...valid, acl: 'public-read' }, ['acl:field.unknown']],
    ['a toString field', { ...valid, toString: 'x' }, ['toString:field.unknown']],
    ['a valueOf field', { ...valid, valueOf: 1 }, ['valueOf:field.unknown']],
    ['a constructor field', { ...valid, constructor: 'x' }, ['constructor:field.unknown']],
  ])('%s', async (_case, body, codes) => {
    expectProblem(await postJson(body), 400, codes);
  });

  it.each<[string, string, string]>([
    ['../../etc/passwd', 'text/plain', 'passwd'],
    ['CON', 'text/plain', '_CON'],
    ['a\u0000b.txt', 'text/plain', 'ab.txt'],
    ['report.PDF', 'APPLICATION/PDF', 'report.PDF'],
    // Extensions named like Object's own members are unknown extensions, not a lookup of them.
    ['a.constructor', 'image/x-icon', 'a.constructor'],
    ['a.__proto__', 'image/x-icon', 'a.__proto__'],
    ['a.toString', 'image/x-icon', 'a.toString'],
  ])('should sign %j as %s with a safe key', async (fileName, contentType, lastPart) => {
    const response = await postJson({ fileName, contentType, size: 10 });
    expect(response.status).toBe(201);
    const body = response.json<{ key: string; fields: Record<string, string> }>();
    expect(body.key.split('/').pop()).toBe(lastPart);
    expect(body.fields['Content-Type']).toBe(contentType.toLowerCase());
  });

  it('should keep a parameter of the type, normalised', async () => {
    const response = await postJson({
      fileName: 'notes.txt',
      contentType: 'Text/Plain; Charset=UTF-8',
      size: 10,
    });
    expect(response.status).toBe(201);
    expect(response.json<{ fields: Record<string, string> }>().fields['Content-Type']).toBe(
      'text/plain;charset=UTF-8',
    );
  });

  it('should answer an unknown API route with a problem, not the web app', async () => {
    expectProblem(await send(api.baseUrl, '/api/nope'), 404, [':route.not_found']);
  });

  it('should never answer any of these with a 5xx', () => {
    expect(api.output()).not.toMatch(/"status":5\d\d/);
  });
});
