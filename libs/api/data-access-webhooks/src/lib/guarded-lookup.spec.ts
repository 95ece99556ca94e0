import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { guardedLookup, WebhookBlockedError } from './guarded-lookup';

const onlyPublic = (address: string) => (address.startsWith('10.') ? 'private' : null);

function resolvingTo(...addresses: string[]) {
  return jest.fn((_host: string, _options: unknown, callback: (e: null, a: LookupAddress[]) => void) =>
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    ),
  );
}

function run(lookup: LookupFunction, all: boolean) {
  return new Promise<{ error: Error | null; result: unknown; family?: number }>((resolve) =>
    lookup('hooks.example', { all }, (error, result, family) => resolve({ error, result, family })),
  );
}

describe('guardedLookup', () => {
  it('should pass every address on when all are allowed and net asks for all', async () => {
    const sut = guardedLookup(onlyPublic, resolvingTo('93.184.216.34', '2606:2800::1'));
    expect(await run(sut, true)).toMatchObject({
      error: null,
      result: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800::1', family: 6 },
      ],
    });
  });

  it('should pass the first address on when net asks for one', async () => {
    const sut = guardedLookup(onlyPublic, resolvingTo('93.184.216.34', '93.184.216.35'));
    expect(await run(sut, false)).toMatchObject({ error: null, result: '93.184.216.34', family: 4 });
  });

  it.each([true, false])('should refuse the host when any address is refused (all: %s)', async (all) => {
    const sut = guardedLookup(onlyPublic, resolvingTo('93.184.216.34', '10.0.0.5'));
    const { error } = await run(sut, all);
    expect(error).toBeInstanceOf(WebhookBlockedError);
    expect(error?.message).toBe('hooks.example resolves to 10.0.0.5: private');
  });

  it('should ask the resolver for every address of the family net wants', async () => {
    const resolve = resolvingTo('93.184.216.34');
    await run(guardedLookup(onlyPublic, resolve), false);
    expect(resolve).toHaveBeenCalledWith(
      'hooks.example',
      expect.objectContaining({ all: true }),
      expect.any(Function),
    );
  });

  it('should pass a resolver error on', async () => {
    const failure = new Error('getaddrinfo ENOTFOUND hooks.example');
    const sut = guardedLookup(onlyPublic, (_host, _options, callback) => callback(failure, []));
    expect((await run(sut, true)).error).toBe(failure);
  });

  it('should resolve localhost with the real resolver and refuse its loopback address', async () => {
    const sut = guardedLookup((address) =>
      address === '127.0.0.1' || address === '::1' ? 'loopback' : null,
    );
    const { error } = await new Promise<{ error: Error | null }>((resolve) =>
      sut('localhost', { all: true }, (e) => resolve({ error: e })),
    );
    expect(error).toBeInstanceOf(WebhookBlockedError);
  });
});
