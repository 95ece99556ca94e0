import { HttpCode, type ExecutionContext } from '@nestjs/common';
import { ProblemException } from '../problem.exception';
import { Idempotency, REPLAYED_HEADER, idempotentRequestOf } from './idempotency';
import type { IdempotencyStore, KeyOutcome, KeyedRequest } from './idempotency-store';

class Routes {
  create(): void {
    // The route the context points at: a create, 201 by default.
  }

  @HttpCode(200)
  complete(): void {
    // A route with its own success status.
  }
}

const principal = { issuer: 'https://idp', subject: 'alice', scopes: [] };

/** The context of a request to `route`, with `key` as its Idempotency-Key header. */
function contextOf(
  key?: string,
  route: 'create' | 'complete' = 'create',
  body: object = { fileName: 'a.pdf' },
) {
  const headers: Record<string, string> = {};
  const context = {
    getHandler: () => Routes.prototype[route],
    getClass: () => Routes,
    switchToHttp: () => ({
      getRequest: () => ({
        method: 'POST',
        routeOptions: { url: '/api/uploads' },
        params: {},
        body,
        headers: key === undefined ? {} : { 'idempotency-key': key },
        principal,
      }),
      getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }),
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

function setUp(outcome?: KeyOutcome<never>) {
  const calls: Array<{ mode: string; request: KeyedRequest; kept?: unknown }> = [];
  const run =
    (mode: string) =>
    async <T>(request: KeyedRequest, work: () => Promise<T>, keep: (result: T) => unknown) => {
      const call: (typeof calls)[number] = { mode, request };
      calls.push(call);
      if (outcome) return outcome;
      const result = await work();
      call.kept = keep(result);
      return { kind: 'fresh', result } as KeyOutcome<T>;
    };
  const store: IdempotencyStore = { atomically: run('atomic'), leased: run('leased') };
  let ran = 0;
  const work = async () => {
    ran += 1;
    return { id: 'u1' };
  };
  const sut = new Idempotency(store);
  return { sut, calls, work, ran: () => ran };
}

describe('idempotentRequestOf', () => {
  it('should find nothing in a request without the header', () => {
    expect(idempotentRequestOf(contextOf().context)).toBeUndefined();
  });

  it("should key the request per principal, by the route's fingerprint, with the route's success status", () => {
    const create = idempotentRequestOf(contextOf('"k-1"').context);
    expect(create).toMatchObject({
      keyed: { key: 'k-1', owner: { issuer: 'https://idp', subject: 'alice' } },
      status: 201,
    });
    expect(idempotentRequestOf(contextOf('k-1', 'complete').context)?.status).toBe(200);
    const other = idempotentRequestOf(contextOf('k-1', 'create', { fileName: 'b.pdf' }).context);
    expect(other?.keyed.fingerprint).not.toBe(create?.keyed.fingerprint);
  });

  it('should refuse an unusable key with 400 idempotency.key_invalid', () => {
    const thrown = (() => {
      try {
        return idempotentRequestOf(contextOf('"').context);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({
      status: 400,
      errors: [{ code: 'idempotency.key_invalid' }],
    });
  });
});

describe('Idempotency', () => {
  it('should just run the work of a request without a key', async () => {
    const t = setUp();
    await expect(t.sut.run('atomic', undefined, t.work)).resolves.toEqual({ id: 'u1' });
    expect(t.calls).toEqual([]);
    expect(t.ran()).toBe(1);
  });

  it.each(['atomic', 'leased'] as const)(
    'should run the work through the store in %s mode and keep its answer with the status',
    async (mode) => {
      const t = setUp();
      const request = idempotentRequestOf(contextOf('k-1').context);
      await expect(t.sut.run(mode, request, t.work)).resolves.toEqual({ id: 'u1' });
      expect(t.ran()).toBe(1);
      expect(t.calls).toEqual([
        {
          mode,
          request: expect.objectContaining({ key: 'k-1' }),
          kept: { status: 201, body: '{"id":"u1"}' },
        },
      ]);
    },
  );

  it('should replay a kept answer with Idempotent-Replayed: true, without running the work', async () => {
    const t = setUp({ kind: 'replay', response: { status: 201, body: '{"id":"u0"}' } });
    const { context, headers } = contextOf('k-1');
    await expect(t.sut.run('atomic', idempotentRequestOf(context), t.work)).resolves.toEqual({ id: 'u0' });
    expect(headers[REPLAYED_HEADER]).toBe('true');
    expect(t.ran()).toBe(0);
  });

  it.each([
    ['key_reused', 422, 'idempotency.key_reused'],
    ['in_flight', 409, 'idempotency.in_flight'],
  ] as const)('should answer %s with %i %s', async (kind, status, code) => {
    const t = setUp({ kind });
    const thrown = await t.sut
      .run('atomic', idempotentRequestOf(contextOf('k-1').context), t.work)
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ProblemException);
    expect((thrown as ProblemException).problem).toMatchObject({ status, errors: [{ code }] });
    if (kind === 'in_flight') expect((thrown as ProblemException).headers['retry-after']).toBe('1');
    expect(t.ran()).toBe(0);
  });
});
