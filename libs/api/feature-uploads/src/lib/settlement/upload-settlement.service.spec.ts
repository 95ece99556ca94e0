import type { Upload } from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import { metricsRegistry } from '@dropgate/api/util-metrics';
import { UploadSettlement } from './upload-settlement.service';
import { OneRowRepository } from './testing/one-row-repository';

const ID = '019ac4e2-7b1a-7c3e-9f00-2b6e4c1d8a55';

const pending = {
  id: ID,
  status: 'pending',
  method: 'post',
  key: 'uploads/seg/2026/11/29/id/a.txt',
  file_name: 'a.txt',
  content_type: 'text/plain',
  size: 1,
  status_reason: null,
  etag: null,
  owner_issuer: 'https://idp.example',
  owner_subject: 'alice',
  owner_name: null,
  created_at: new Date(),
  completed_at: null,
  deleted_at: null,
  settling_owner: null,
  settling_until: null,
} as unknown as Upload;

/** How many uploads settled into `outcome` so far, as the metrics port would show. */
async function settledCount(outcome: string): Promise<number> {
  const metric = metricsRegistry.getSingleMetric('dropgate_uploads_settled_total');
  const { values } = (await metric?.get()) ?? { values: [] };
  return values.find((v) => v.labels['method'] === 'post' && v.labels['outcome'] === outcome)?.value ?? 0;
}

describe('UploadSettlement', () => {
  const setUp = () => {
    const repository = new OneRowRepository(pending);
    return { repository, sut: new UploadSettlement(repository.repository) };
  };
  const codeOf = (error: unknown) => (error as ProblemException).problem.errors[0].code;

  it('should keep renewing its lease while the work runs, so that only a dead settler loses it', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-30T00:00:00Z') });
    try {
      const { sut, repository } = setUp();
      let finishWork = (): void => undefined;
      const settled = sut.settle(pending, async () => {
        await new Promise<void>((resolve) => (finishWork = resolve));
        return { event: 'canceled' };
      });
      await jest.advanceTimersByTimeAsync(0);
      const firstEnd = repository.row.settling_until?.getTime() ?? 0;
      expect(firstEnd).toBe(Date.now() + 60_000);
      // Five minutes of work: far past one lease, and still this settler's.
      await jest.advanceTimersByTimeAsync(5 * 60_000);
      expect(repository.row.settling_owner).toBe(sut.holder);
      expect(repository.row.settling_until?.getTime()).toBeGreaterThan(Date.now());
      finishWork();
      expect((await settled).status).toBe('canceled');
    } finally {
      jest.useRealTimers();
    }
  });

  it('should claim, work, and write the outcome through the lifecycle, with its event', async () => {
    const { sut, repository } = setUp();
    const settle = jest.spyOn(repository, 'settle');
    const settled = await sut.settle(pending, async (claimed) => {
      expect(claimed.settling_owner).toBe(sut.holder);
      return { event: 'canceled', fields: { completed_at: new Date('2026-11-29T12:00:00Z') } };
    });
    expect(settled.status).toBe('canceled');
    expect(repository.row.settling_owner).toBeNull();
    const event = (settle.mock.calls[0] as unknown[])[4] as { id: string; type: string; body: string };
    expect(event).toMatchObject({ id: expect.stringMatching(/^msg_[0-9a-f]{32}$/), type: 'upload.canceled' });
    expect(JSON.parse(event.body)).toMatchObject({
      type: 'upload.canceled',
      data: {
        id: ID,
        status: 'canceled',
        completedAt: '2026-11-29T12:00:00.000Z',
        owner: { subject: 'alice' },
      },
    });
  });

  it('should answer 409 upload.settling to a second settler while the first holds the lease', async () => {
    const { sut } = setUp();
    let second: unknown;
    await sut.settle(pending, async () => {
      second = await sut
        .settle(pending, async () => ({ event: 'canceled' }))
        .catch((error: unknown) => error);
      return { event: 'verified' };
    });
    expect(second).toBeInstanceOf(ProblemException);
    expect(codeOf(second)).toBe('upload.settling');
  });

  it('should give the upload as it now is when its status moved on, without working', async () => {
    const { sut, repository } = setUp();
    repository.row = { ...pending, status: 'available' };
    const work = jest.fn();
    expect((await sut.settle(pending, work)).status).toBe('available');
    expect(work).not.toHaveBeenCalled();
  });

  it('should free the lease when the work fails, from the time it is given', async () => {
    const { sut, repository } = setUp();
    const retryAt = new Date(Date.now() + 60_000);
    const claimed = await repository.claim(ID, ['pending'], sut.holder, sut.leaseEnd());
    await expect(
      sut.finish(claimed as Upload, () => Promise.reject(new Error('storage down')), retryAt),
    ).rejects.toThrow('storage down');
    expect(repository.row).toMatchObject({
      status: 'pending',
      settling_owner: null,
      settling_until: retryAt,
    });
  });

  it('should undo its work when its lease ran out and another settler moved the upload', async () => {
    const { sut, repository } = setUp();
    const undo = jest.fn(async () => undefined);
    const settled = await sut.settle(pending, async () => {
      // The lease lapsed; another instance took the row and canceled the upload.
      repository.row = {
        ...repository.row,
        status: 'canceled',
        settling_owner: 'other',
        settling_until: null,
      };
      return { event: 'verified', undo };
    });
    expect(settled.status).toBe('canceled');
    expect(undo).toHaveBeenCalledWith(expect.objectContaining({ status: 'canceled' }));
  });

  it('should refuse an event the lifecycle does not allow, and free the lease', async () => {
    const { sut, repository } = setUp();
    const failure = await sut
      .settle(pending, async () => ({ event: 'deleted' }))
      .catch((error: unknown) => error);
    expect(codeOf(failure)).toBe('upload.not_pending');
    expect(repository.row).toMatchObject({ status: 'pending', settling_owner: null });
  });

  it('should count an outcome once it is written', async () => {
    const { sut } = setUp();
    const before = await settledCount('canceled');
    await sut.settle(pending, async () => ({ event: 'canceled' }));
    expect(await settledCount('canceled')).toBe(before + 1);
  });

  it('should count nothing for a settler that lost the race, nor for a status written again', async () => {
    const { sut, repository } = setUp();
    const before = { canceled: await settledCount('canceled'), deleted: await settledCount('deleted') };
    await sut.settle(pending, async () => {
      repository.row = {
        ...repository.row,
        status: 'canceled',
        settling_owner: 'other',
        settling_until: null,
      };
      return { event: 'canceled' };
    });
    repository.row = { ...repository.row, status: 'deleted', settling_owner: null };
    await sut.settle(repository.row, async () => ({ event: 'deleted' }));
    expect(await settledCount('canceled')).toBe(before.canceled);
    expect(await settledCount('deleted')).toBe(before.deleted);
  });
});
