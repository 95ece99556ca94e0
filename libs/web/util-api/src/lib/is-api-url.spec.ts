import { isApiUrl } from './is-api-url';

const PAGE = 'https://portal.example.com/uploads';

describe('isApiUrl', () => {
  it.each([
    ['/api/uploads', '/api'],
    ['/api', '/api'],
    ['api/uploads/config', '/api'],
    ['https://portal.example.com/api/uploads/presigned-post', '/api'],
    ['https://api.example.com/v1/uploads', 'https://api.example.com/v1/'],
  ])('should treat %s as the API (base %s)', (url, base) => {
    expect(isApiUrl(url, base, PAGE)).toBe(true);
  });

  it.each([
    ['storage on another origin', 'https://bucket.s3.eu-west-1.amazonaws.com/', '/api'],
    ['a path-style bucket on another port', 'https://portal.example.com:9000/api/uploads', '/api'],
    ['a protocol-relative URL to another host', '//evil.example/api/uploads', '/api'],
    ['a path that only starts with the same letters', '/apis/uploads', '/api'],
    ['a path outside the base', '/health', '/api'],
    ['http on an https page', 'http://portal.example.com/api/uploads', '/api'],
    ['a userinfo trick', 'https://portal.example.com@evil.example/api/uploads', '/api'],
    ['a URL that does not parse', 'http://[::1', '/api'],
  ])('should not treat %s as the API', (_case, url, base) => {
    expect(isApiUrl(url, base, PAGE)).toBe(false);
  });
});
