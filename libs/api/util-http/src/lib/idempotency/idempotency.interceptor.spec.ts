import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { lastValueFrom, of } from 'rxjs';
import { ProblemException } from '../problem.exception';
import { IdempotencyInterceptor, Idempotent, REPLAYED_HEADER } from './idempotency.interceptor';
import type { IdempotencyStore, KeyOutcome, KeyedRequest } from './idempotency-store';

class Routes {
  @Idempotent('atomic')
  create(): void {
    // The route the context points at; the interceptor reads its metadata only.
  }
}

function setUp(outcome?: KeyOutcome<never>) {
  const calls: Array<{ mode: string; request: KeyedRequest }> = [];
  const run =
    (mode: string) =>
    async <T>(request: KeyedRequest, work: () => Promise<T>): Promise<KeyOutcome<T>> => {
      calls.push({ mode, request });
      return outcome ?? { kind: 'fresh', result: await work() };
    };
  const store: IdempotencyStore = { atomically: run('atomic'), leased: run('leased') };
  const headers: Record<string, string> = {};
  const context = (key?: string) =>
    ({
      getHandler: () => Routes.prototype.create,
      getClass: () => Routes,
      switchToHttp: () => ({
        getRequest: () => ({
          method: 'POST',
          routeOptions: { url: '/api/uploads' },
          params: {},
          body: { fileName: 'a.pdf' },
          headers: key === undefined ? {} : { 'idempotency-key': key },
          principal: { issuer: 'https://idp', subject: 'alice', scopes: [] },
        }),
        getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }),
      }),
    }) as unknown as ExecutionContext;
  let handled = 0;
  const next: CallHandler = {
    handle: () => {
      handled += 1;
      return of({ id: 'u1' });
    },
  };
  const sut = new IdempotencyInterceptor(new Reflector(), store);
  const answer = (key?: string) => lastValueFrom(sut.intercept(context(key), next));
  return { answer, calls, headers, handled: () => handled };
}

describe('IdempotencyInterceptor', () => {
  it('should leave a request without the header alone', async () => {
    const t = setUp();
    await expect(t.answer()).resolves.toEqual({ id: 'u1' });
    expect(t.calls).toEqual([]);
  });

  it("should run the route's work through the store in the route's mode, keyed per principal", async () => {
    const t = setUp();
    await expect(t.answer('"k-1"')).resolves.toEqual({ id: 'u1' });
    expect(t.handled()).toBe(1);
    expect(t.calls).toEqual([
      {
        mode: 'atomic',
        request: expect.objectContaining({ key: 'k-1', owner: { issuer: 'https://idp', subject: 'alice' } }),
      },
    ]);
  });

  it('should replay a kept answer with Idempotent-Replayed: true, without running the route', async () => {
    const t = setUp({ kind: 'replay', response: { status: 201, body: '{"id":"u0"}' } });
    await expect(t.answer('k-1')).resolves.toEqual({ id: 'u0' });
    expect(t.headers[REPLAYED_HEADER]).toBe('true');
    expect(t.handled()).toBe(0);
  });

  it.each([
    ['key_reused', 422, 'idempotency.key_reused'],
    ['in_flight', 409, 'idempotency.in_flight'],
  ] as const)('should answer %s with %i %s', async (kind, status, code) => {
    const t = setUp({ kind });
    const thrown = await t.answer('k-1').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({ status, errors: [{ code }] });
    if (kind === 'in_flight') expect((thrown as ProblemException).headers['retry-after']).toBe('1');
  });

  it('should refuse an unusable key with 400 idempotency.key_invalid before any work', async () => {
    const t = setUp();
    const thrown = await Promise.resolve()
      .then(() => t.answer('"'))
      .catch((error: unknown) => error);
    expect((thrown as ProblemException).problem).toMatchObject({
      status: 400,
      errors: [{ code: 'idempotency.key_invalid' }],
    });
    expect(t.handled()).toBe(0);
  });
});
