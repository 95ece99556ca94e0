import { pathOf } from './url-path';

describe('pathOf', () => {
  it.each([
    ['/api/uploads', '/api/uploads'],
    ['/api/uploads?access_token=eyJ.secret', '/api/uploads'],
    ['/api/uploads/config?X-Amz-Signature=abc&x=1', '/api/uploads/config'],
    ['/api/uploads?', '/api/uploads'],
    ['/?eyJ.token-as-a-name', '/'],
  ])('should keep %s as %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});
