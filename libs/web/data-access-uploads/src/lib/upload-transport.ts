import { Injectable, inject } from '@angular/core';
import {
  HttpClient,
  HttpErrorResponse,
  HttpEventType,
  type HttpEvent,
  type HttpResponse,
} from '@angular/common/http';
import { Observable, catchError, filter, map, throwError } from 'rxjs';
import type {
  CreateUploadRequest,
  CreatedPostUpload,
  CreatedUpload,
  CreatedUploadsBatch,
  PartToSign,
  SignedPart,
  SignedParts,
  StoredParts,
  UploadRecord,
  UploadsConfig,
} from '@dropgate/shared/api-contract';
import { API_BASE_URL } from '@dropgate/web/util-api';
import { UploadError, apiError, storageError } from './upload-error';

export type SendEvent = { type: 'progress'; loaded: number; total: number } | { type: 'stored'; key: string };

/** The calls an upload makes; the queue depends on this, so tests give it a fake. */
export abstract class UploadTransport {
  abstract getConfig(): Observable<UploadsConfig>;
  /**
   * Records the upload and gets the form that sends exactly this file to storage. With the same
   * `idempotencyKey`, a retry gets the same upload back.
   */
  abstract create(request: CreateUploadRequest, idempotencyKey?: string): Observable<CreatedUpload>;
  /** Records up to 100 uploads in one call (`POST /api/uploads/batch`): all of them, or none. */
  abstract createBatch(requests: CreateUploadRequest[]): Observable<CreatedUploadsBatch>;
  abstract send(upload: CreatedPostUpload, file: File): Observable<SendEvent>;
  /** Presigned URLs for parts of a multipart upload, each bound to its length and MD5. */
  abstract signParts(id: string, parts: PartToSign[]): Observable<SignedParts>;
  /** The parts storage holds so far. */
  abstract listParts(id: string): Observable<StoredParts>;
  /** PUTs one part's bytes to its signed URL. */
  abstract putPart(part: SignedPart, body: Blob): Observable<SendEvent>;
  /** One record, as the API has it now. */
  abstract get(id: string): Observable<UploadRecord>;
  /** Asks the API to check the stored object; the record says whether it is available. */
  abstract complete(id: string): Observable<UploadRecord>;
  /** Cancels a recorded upload that will not be sent (DELETE). */
  abstract discard(id: string): Observable<unknown>;
}

/**
 * The Dropgate API for records and signing, and a form POST straight to S3. HttpClient's XHR backend reports
 * upload progress (the fetch backend does not), and unsubscribing aborts the request.
 */
@Injectable()
export class HttpUploadTransport extends UploadTransport {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  getConfig(): Observable<UploadsConfig> {
    return this.http.get<UploadsConfig>(`${this.baseUrl}/uploads/config`).pipe(catchError(fail(apiError)));
  }

  create(request: CreateUploadRequest, idempotencyKey?: string): Observable<CreatedUpload> {
    const headers = idempotencyKey ? { 'Idempotency-Key': `"${idempotencyKey}"` } : undefined;
    return this.http
      .post<CreatedUpload>(`${this.baseUrl}/uploads`, request, { headers })
      .pipe(catchError(fail(apiError)));
  }

  createBatch(requests: CreateUploadRequest[]): Observable<CreatedUploadsBatch> {
    return this.http
      .post<CreatedUploadsBatch>(`${this.baseUrl}/uploads/batch`, { files: requests })
      .pipe(catchError(fail(apiError)));
  }

  signParts(id: string, parts: PartToSign[]): Observable<SignedParts> {
    return this.http
      .post<SignedParts>(`${this.uploadUrl(id)}/parts`, { parts })
      .pipe(catchError(fail(apiError)));
  }

  listParts(id: string): Observable<StoredParts> {
    return this.http.get<StoredParts>(`${this.uploadUrl(id)}/parts`).pipe(catchError(fail(apiError)));
  }

  get(id: string): Observable<UploadRecord> {
    return this.http.get<UploadRecord>(this.uploadUrl(id)).pipe(catchError(fail(apiError)));
  }

  /** PUTs one part's bytes with the headers its URL signed; storage answers 200 once it has them. */
  putPart(part: SignedPart, body: Blob): Observable<SendEvent> {
    return this.http
      .put(part.url, body, {
        headers: part.headers,
        reportProgress: true,
        observe: 'events',
        responseType: 'text',
      })
      .pipe(toSendEvents(body.size, () => ''));
  }

  complete(id: string): Observable<UploadRecord> {
    return this.http
      .post<UploadRecord>(`${this.uploadUrl(id)}/complete`, null)
      .pipe(catchError(fail(apiError)));
  }

  discard(id: string): Observable<unknown> {
    return this.http.delete(this.uploadUrl(id)).pipe(catchError(fail(apiError)));
  }

  private uploadUrl(id: string): string {
    return `${this.baseUrl}/uploads/${encodeURIComponent(id)}`;
  }

  send(upload: CreatedPostUpload, file: File): Observable<SendEvent> {
    const { post } = upload;
    const form = new FormData();
    // S3 reads the policy fields first; the file must be the last part.
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', file);
    return this.http
      .post(post.url, form, { reportProgress: true, observe: 'events', responseType: 'text' })
      .pipe(toSendEvents(file.size, (body) => storedKey(body) ?? upload.key));
  }
}

/** An upload to storage's events as progress, then `stored` (with the key `keyOf` reads from the body). */
function toSendEvents(size: number, keyOf: (body: string) => string) {
  return (events: Observable<HttpEvent<string>>): Observable<SendEvent> =>
    events.pipe(
      filter((event) => event.type === HttpEventType.UploadProgress || event.type === HttpEventType.Response),
      map((event): SendEvent => {
        if (event.type === HttpEventType.UploadProgress) {
          return { type: 'progress', loaded: event.loaded, total: event.total ?? size };
        }
        return { type: 'stored', key: keyOf((event as HttpResponse<string>).body ?? '') };
      }),
      catchError(fail(storageError)),
    );
}

function fail(mapError: (failure: HttpErrorResponse) => UploadError) {
  return (failure: unknown) =>
    throwError(() => (failure instanceof HttpErrorResponse ? mapError(failure) : failure));
}

/** The key S3 reports in its 201 XML body. */
function storedKey(xml: string): string | undefined {
  const key = /<Key>([^<]*)<\/Key>/.exec(xml)?.[1];
  return key?.replace(
    /&(amp|lt|gt|quot|apos);/g,
    (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? '',
  );
}
