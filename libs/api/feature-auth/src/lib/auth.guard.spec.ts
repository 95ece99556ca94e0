import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Public, Scopes } from '@dropgate/api/util-http';
import type { Principal } from '@dropgate/shared/api-contract';
import { AuthError } from '@dropgate/api/util-http';
import { AuthGuard } from './auth.guard';
import type { TokenVerifier } from './token-verifier';

class Routes {
  @Scopes('uploads:write')
  write(): string {
    return 'write';
  }
  @Scopes('uploads:read')
  read(): string {
    return 'read';
  }
  @Public()
  open(): string {
    return 'open';
  }
}

const reader: Principal = { issuer: 'https://idp.example', subject: 'bob', scopes: ['uploads:read'] };
const writer: Principal = { ...reader, scopes: ['uploads:read', 'uploads:write'] };

function contextFor(route: 'write' | 'read' | 'open', request: Record<string, unknown>): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const verify = jest.fn<Promise<Principal>, [string]>();
  const sut = new AuthGuard(new Reflector(), { verify } as unknown as TokenVerifier);
  beforeEach(() => verify.mockReset());

  it.each<[string, string | undefined, string, Principal | undefined, string]>([
    ['no header', undefined, '/api/uploads/presigned-post', writer, 'missing'],
    ['a Basic header', 'Basic YTpi', '/api/uploads/presigned-post', writer, 'invalid'],
    [
      'a token in the query string',
      'Bearer a.b.c',
      '/api/uploads/presigned-post?access_token=a.b.c',
      writer,
      'invalid',
    ],
    [
      'a token without the scope',
      'Bearer a.b.c',
      '/api/uploads/presigned-post',
      reader,
      'insufficient_scope',
    ],
  ])('should refuse %s', async (_case, authorization, url, principal, failure) => {
    if (principal) verify.mockResolvedValue(principal);
    const request = { url, headers: { authorization } };
    const refusal = await sut.canActivate(contextFor('write', request)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AuthError);
    expect((refusal as AuthError).failure).toBe(failure);
    expect(request).not.toHaveProperty('principal');
  });

  it.each<[string, Record<string, unknown>]>([
    [
      'a token in the parsed query, however encoded',
      { url: '/x?%61ccess_token=a.b.c', query: { access_token: 'a.b.c' } },
    ],
    [
      'two Authorization headers',
      { url: '/x', raw: { rawHeaders: ['Authorization', 'Bearer a.b.c', 'authorization', 'Bearer d.e.f'] } },
    ],
  ])('should refuse %s without verifying anything', async (_case, parts) => {
    verify.mockResolvedValue(writer);
    const request = { headers: { authorization: 'Bearer a.b.c' }, ...parts };
    const refusal = await sut.canActivate(contextFor('write', request)).catch((error: unknown) => error);
    expect((refusal as AuthError).failure).toBe('invalid');
    expect(verify).not.toHaveBeenCalled();
  });

  it('should put the verified principal on the request, and verify the token as sent', async () => {
    verify.mockResolvedValue(writer);
    const request: Record<string, unknown> = {
      url: '/api/uploads/presigned-post',
      headers: { authorization: 'bearer  x.y.z' },
    };
    expect(await sut.canActivate(contextFor('write', request))).toBe(true);
    expect(verify).toHaveBeenCalledWith('x.y.z');
    expect(request['principal']).toBe(writer);
  });

  it('should let uploads:admin read, as it reads anyone’s uploads, but not write', async () => {
    const admin: Principal = { ...reader, scopes: ['uploads:admin'] };
    verify.mockResolvedValue(admin);
    const request = { url: '/api/uploads/x', headers: { authorization: 'Bearer a.b.c' } };
    expect(await sut.canActivate(contextFor('read', request))).toBe(true);
    const refusal = await sut
      .canActivate(contextFor('write', { ...request }))
      .catch((error: unknown) => error);
    expect((refusal as AuthError).failure).toBe('insufficient_scope');
  });

  it('should let public routes through without looking for a token', async () => {
    expect(await sut.canActivate(contextFor('open', { url: '/api/health', headers: {} }))).toBe(true);
    expect(verify).not.toHaveBeenCalled();
  });

  it('should name the scope needed in the 403 challenge, and never the token', () => {
    const refusal = new AuthError('insufficient_scope', 'uploads:write');
    expect(refusal.getStatus()).toBe(403);
    expect(refusal.headers['www-authenticate']).toBe(
      'Bearer realm="dropgate", error="insufficient_scope", scope="uploads:write"',
    );
    expect(new AuthError('expired').headers['www-authenticate']).toBe(
      'Bearer realm="dropgate", error="invalid_token"',
    );
  });
});
