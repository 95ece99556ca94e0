import { Observable, Subject, of, throwError } from 'rxjs';
import type {
  CreateUploadRequest,
  CreatedUpload,
  CreatedUploadsBatch,
  CreatedPostUpload,
  PartToSign,
  SignedPart,
  SignedParts,
  StoredParts,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { Md5Hasher } from '../md5/md5-hasher';
import { UploadError } from '../upload-error';
import { UploadTransport, type SendEvent } from '../upload-transport';

export const config: UploadsConfig = {
  maxFileSize: 1000,
  /** Files over 100 bytes go in parts, which the fake API cuts 4 bytes long. */
  multipartThreshold: 100,
  allowedTypes: ['text/plain', 'image/*'],
  expiresInSeconds: 300,
};

/**
 * A call to storage that the test answers through `events`; unsubscribing before it ended marks
 * it aborted, as unsubscribing aborts the XHR in the real transport.
 */
function held(call: { events: Subject<SendEvent>; aborted: boolean }): Observable<SendEvent> {
  return new Observable<SendEvent>((subscriber) => {
    let finished = false;
    const subscription = call.events.subscribe({
      next: (event) => subscriber.next(event),
      error: (error) => ((finished = true), subscriber.error(error)),
      complete: () => ((finished = true), subscriber.complete()),
    });
    return () => {
      if (!finished) call.aborted = true;
      subscription.unsubscribe();
    };
  });
}

/** A transport whose every call is a Subject the test completes or fails by hand. */
export class FakeTransport extends UploadTransport {
  readonly presigns: {
    request: CreateUploadRequest;
    idempotencyKey?: string;
    reply: Subject<CreatedUpload>;
  }[] = [];
  readonly completions: { id: string; reply: Subject<UploadRecord> }[] = [];
  /** What complete answers unless a test takes over: available. */
  autoComplete = true;
  readonly sends: { file: File; events: Subject<SendEvent>; aborted: boolean }[] = [];

  getConfig(): Observable<UploadsConfig> {
    return of(config);
  }

  create(request: CreateUploadRequest, idempotencyKey?: string): Observable<CreatedUpload> {
    const reply = new Subject<CreatedUpload>();
    this.presigns.push({ request, idempotencyKey, reply });
    return reply;
  }

  /** Batch creates, each answered by the test through `reply`. */
  readonly batches: { requests: CreateUploadRequest[]; reply: Subject<CreatedUploadsBatch> }[] = [];
  createBatch(requests: CreateUploadRequest[]): Observable<CreatedUploadsBatch> {
    const reply = new Subject<CreatedUploadsBatch>();
    this.batches.push({ requests, reply });
    return reply;
  }

  readonly discarded: string[] = [];
  discard(id: string): Observable<unknown> {
    this.discarded.push(id);
    return of(null);
  }

  complete(id: string): Observable<UploadRecord> {
    if (this.autoComplete) return of(record(id, 'available'));
    const reply = new Subject<UploadRecord>();
    this.completions.push({ id, reply });
    return reply;
  }

  send(_upload: CreatedPostUpload, file: File): Observable<SendEvent> {
    const call = { file, events: new Subject<SendEvent>(), aborted: false };
    this.sends.push(call);
    return held(call);
  }

  /** Multipart uploads the fake storage holds: part number → bytes. */
  readonly stored = new Map<string, Map<number, number>>();
  readonly signed: { id: string; parts: PartToSign[] }[] = [];
  readonly puts: { part: SignedPart; body: Blob; events: Subject<SendEvent>; aborted: boolean }[] = [];
  /** Seconds each part URL lives (X-Amz-Expires). */
  partUrlSeconds = 300;
  records = new Map<string, UploadRecord>();
  /** Ids `get` was asked for, in order. */
  readonly gets: string[] = [];
  /** What the next `get` calls fail with, one each, before the records answer again. */
  readonly getFailures: UploadError[] = [];

  signParts(id: string, parts: PartToSign[]): Observable<SignedParts> {
    this.signed.push({ id, parts });
    return of({
      parts: parts.map(({ partNumber, md5 }) => ({
        partNumber,
        url: `http://s3.test/b/k?partNumber=${partNumber}&X-Amz-Expires=${this.partUrlSeconds}`,
        headers: { 'content-md5': md5 },
      })),
      expiresAt: '',
    });
  }

  listParts(id: string): Observable<StoredParts> {
    const parts = [...(this.stored.get(id) ?? new Map<number, number>())].map(([partNumber, size]) => ({
      partNumber,
      size,
      etag: '',
    }));
    return of({ parts });
  }

  get(id: string): Observable<UploadRecord> {
    this.gets.push(id);
    const failure = this.getFailures.shift();
    if (failure) return throwError(() => failure);
    const found = this.records.get(id);
    return found
      ? of(found)
      : throwError(
          () => new UploadError('invalid-request', 'No upload with this id', undefined, ['upload.not_found']),
        );
  }

  putPart(part: SignedPart, body: Blob): Observable<SendEvent> {
    const call = { part, body, events: new Subject<SendEvent>(), aborted: false };
    this.puts.push(call);
    return held(call);
  }

  /** Stores the n-th part PUT at the fake storage and answers 200. */
  storePut(n: number, uploadId = 'id-big.txt') {
    const call = this.puts[n];
    const partNumber = Number(new URL(call.part.url).searchParams.get('partNumber'));
    if (!this.stored.has(uploadId)) this.stored.set(uploadId, new Map());
    this.stored.get(uploadId)?.set(partNumber, call.body.size);
    call.events.next({ type: 'progress', loaded: call.body.size, total: call.body.size });
    call.events.next({ type: 'stored', key: '' });
    call.events.complete();
  }

  /** Part numbers of the PUTs still in flight. */
  partsInFlight(): number[] {
    return this.puts
      .filter((p) => p.events.observed && !p.aborted)
      .map((p) => Number(new URL(p.part.url).searchParams.get('partNumber')));
  }

  /** Answers the n-th create as the API does for a file over the threshold: parts of 4 bytes. */
  startMultipart(n: number) {
    const { request, reply } = this.presigns[n];
    reply.next({
      id: `id-${request.fileName}`,
      key: `k/${request.fileName}`,
      status: 'pending',
      method: 'multipart',
      partSize: 4,
      partCount: Math.ceil(request.size / 4),
      expiresAt: '',
    });
    reply.complete();
  }

  /** Signs the n-th presign request. */
  sign(n: number) {
    const { request, reply } = this.presigns[n];
    reply.next({
      id: `id-${request.fileName}`,
      key: `k/${request.fileName}`,
      status: 'pending',
      method: 'post',
      expiresAt: '',
      post: { url: 'http://s3.test/b', fields: {} },
    });
    reply.complete();
  }

  /** Answers the n-th batch create: one POST upload per file, whose policy lives `lifeMs` more. */
  answerBatch(n: number, lifeMs = 300_000) {
    const { requests, reply } = this.batches[n];
    const expiresAt = new Date(Date.now() + lifeMs).toISOString();
    reply.next({
      uploads: requests.map(({ fileName }) => ({
        id: `id-${fileName}`,
        key: `k/${fileName}`,
        status: 'pending',
        method: 'post',
        expiresAt,
        post: { url: 'http://s3.test/b', fields: {} },
      })),
    });
    reply.complete();
  }

  active(): number {
    return this.sends.filter((s) => !s.events.closed && !s.aborted).length;
  }
}

export function record(
  id: string,
  status: UploadRecord['status'],
  reason?: UploadRecord['reason'],
): UploadRecord {
  return {
    id,
    key: `k/${id.replace(/^id-/, '')}`,
    fileName: id,
    contentType: 'text/plain',
    size: 1,
    status,
    ...(reason && { reason }),
    method: 'post',
    owner: { issuer: 'i', subject: 's' },
    createdAt: '',
    expiresAt: '',
  };
}

/** MD5s that name the bytes they were computed from, and count how often each part was hashed. */
export class FakeHasher extends Md5Hasher {
  readonly hashed: number[] = [];
  async md5(blob: Blob): Promise<string> {
    this.hashed.push(blob.size);
    return `md5-of-${blob.size}-bytes#${this.hashed.length}`;
  }
}
