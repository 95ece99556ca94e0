import { UploadError } from './upload-error';
import { record } from './testing/fake-upload-transport';
import { setup, statuses, textFile } from './testing/queue-setup';

describe('UploadQueue, when the session ends and when checking', () => {
  afterEach(() => jest.useRealTimers());

  describe('when the session ends', () => {
    it('should let files already sending finish, hold the rest in place, and go on after sign-in', () => {
      const { sut, transport } = setup({ concurrency: 2 });
      sut.add([textFile('a.txt'), textFile('b.txt'), textFile('c.txt'), textFile('d.txt')]);
      transport.sign(0);
      transport.presigns[1].reply.error(new UploadError('signed-out', 'Your session ended'));
      expect(sut.waitingForSignIn()).toBe(true);
      expect(statuses(sut)).toEqual(['uploading', 'queued', 'queued', 'queued']);
      expect(transport.presigns).toHaveLength(2);
      expect(sut.announcement()).toBe('Session ended. 3 files waiting: sign in again to continue');

      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      expect(statuses(sut)).toEqual(['done', 'queued', 'queued', 'queued']);
      expect(transport.presigns).toHaveLength(2);

      sut.resumeAfterSignIn();
      expect(sut.waitingForSignIn()).toBe(false);
      expect(transport.presigns.slice(2).map((p) => p.request.fileName)).toEqual(['b.txt', 'c.txt']);
      expect(sut.items().map((i) => i.file.name)).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    });

    it('should keep the attempt count of a file sent back to wait', () => {
      const { sut, transport } = setup({ concurrency: 1 });
      sut.add([textFile('a.txt')]);
      transport.presigns[0].reply.error(new UploadError('signed-out', 'Your session ended'));
      expect(sut.items()[0].state).toEqual({
        status: 'queued',
        retries: 0,
        lastError: expect.objectContaining({ kind: 'signed-out' }),
      });
    });

    it('should start nothing while paused, even when files are added', () => {
      const { sut, transport } = setup();
      sut.pauseForSignIn();
      sut.add([textFile('late.txt')]);
      expect(statuses(sut)).toEqual(['queued']);
      expect(transport.presigns).toHaveLength(0);
      sut.resumeAfterSignIn();
      expect(statuses(sut)).toEqual(['signing']);
    });
  });

  it('should fail, not wait, when the account lacks the scope to upload', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt')]);
    transport.presigns[0].reply.error(new UploadError('forbidden', 'Your account may not upload files'));
    expect(statuses(sut)).toEqual(['failed']);
    expect(sut.waitingForSignIn()).toBe(false);
  });

  describe('verifying after storage answers', () => {
    it('should show verifying until complete says available, then done with the key', () => {
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      expect(statuses(sut)).toEqual(['verifying']);
      expect(transport.completions.map((c) => c.id)).toEqual(['id-a.txt']);
      transport.completions[0].reply.next(record('id-a.txt', 'available'));
      expect(sut.items()[0].state).toEqual({ status: 'done', key: 'k/a.txt', uploadId: 'id-a.txt' });
      expect(sut.announcement()).toBe('a.txt stored');
    });

    it('should fail a file the API rejected, saying why, and not retry it', () => {
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      transport.completions[0].reply.next(record('id-a.txt', 'rejected', 'size_mismatch'));
      const state = sut.items()[0].state;
      expect(state.status).toBe('failed');
      expect(state.status === 'failed' && state.error.message).toBe(
        'Rejected after upload. Its size did not match the size declared',
      );
      expect(transport.presigns).toHaveLength(1);
    });

    it('should retry completion alone after a server error, without sending the file again', () => {
      jest.useFakeTimers();
      const { sut, transport } = setup();
      transport.autoComplete = false;
      sut.add([textFile('a.txt')]);
      transport.sign(0);
      transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
      transport.completions[0].reply.error(new UploadError('server', 'Dropgate API error (502)'));
      jest.advanceTimersByTime(1000);
      expect(transport.completions).toHaveLength(2);
      transport.completions[1].reply.next(record('id-a.txt', 'available'));
      expect(statuses(sut)).toEqual(['done']);
      expect(transport.sends).toHaveLength(1);
    });
  });

  it('should keep a stored file waiting to be checked while the session is over, then check it', () => {
    const { sut, transport } = setup();
    transport.autoComplete = false;
    sut.add([textFile('a.txt')]);
    transport.sign(0);
    transport.sends[0].events.next({ type: 'stored', key: 'k/a.txt' });
    transport.completions[0].reply.error(new UploadError('signed-out', 'Your session ended'));
    expect(sut.waitingForSignIn()).toBe(true);
    expect(statuses(sut)).toEqual(['verifying']);
    sut.resumeAfterSignIn();
    expect(transport.completions).toHaveLength(2);
    transport.completions[1].reply.next(record('id-a.txt', 'available'));
    expect(statuses(sut)).toEqual(['done']);
    expect(transport.sends).toHaveLength(1);
  });

  it('should cancel the record of a file canceled while it was sending, and no other', () => {
    const { sut, transport } = setup();
    sut.add([textFile('a.txt'), textFile('b.txt')]);
    transport.sign(0);
    sut.cancel(sut.items()[0].id);
    sut.cancel(sut.items()[1].id);
    expect(transport.discarded).toEqual(['id-a.txt']);
    expect(statuses(sut)).toEqual(['canceled', 'canceled']);
  });
});
