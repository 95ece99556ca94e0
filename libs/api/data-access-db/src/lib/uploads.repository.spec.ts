import type { Kysely } from 'kysely';
import { ProblemException } from '@dropgate/api/util-http';
import type { Database } from './database';
import type { MigrationsService } from './migrations.service';
import { UploadsRepository } from './uploads.repository';
import { StagingSweepsRepository } from './staging-sweeps.repository';

describe('UploadsRepository before the schema is migrated', () => {
  // Any query would reach a table that may not exist yet (42P01, a 500): none may be sent.
  const untouchable = new Proxy({} as Kysely<Database>, {
    get: (_target, name) => {
      throw new Error(`the database was used (${String(name)}) before the schema was ready`);
    },
  });
  const sut = new UploadsRepository(untouchable, { ready: false } as MigrationsService);
  const sweeps = new StagingSweepsRepository(untouchable, { ready: false } as MigrationsService);
  const owner = { issuer: 'https://idp', subject: 'alice' };

  it.each<[string, () => Promise<unknown>]>([
    ['list', () => sut.list({ owner, limit: 10 })],
    ['findById', () => sut.findById('019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55')],
    ['cursorKey', () => sut.cursorKey()],
    ['claim', () => sut.claim('019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', ['pending'], 'me', new Date())],
    ['claimDue', () => sut.claimDue({ kind: 'scanning' }, 10, 'me', new Date())],
    ['settle', () => sut.settle('019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', 'me', 'canceled')],
    ['release', () => sut.release('019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55', 'me', null)],
    ['releaseAll', () => sut.releaseAll(['019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55'], 'me')],
    ['sweeps.claim', () => sweeps.claim(10, new Date())],
    [
      'sweeps.swept',
      () =>
        sweeps.swept([
          {
            id: '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55',
            stagingKey: 'k',
            claimedUntil: new Date(),
          },
        ]),
    ],
  ])('should answer %s with 503 database.unavailable and Retry-After', async (_name, run) => {
    const refusal = await run().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProblemException);
    expect((refusal as ProblemException).getStatus()).toBe(503);
    expect((refusal as ProblemException).problem.errors[0].code).toBe('database.unavailable');
    expect((refusal as ProblemException).headers['retry-after']).toBe('5');
  });
});
