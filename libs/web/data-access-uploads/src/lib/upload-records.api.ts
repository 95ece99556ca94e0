import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { catchError, throwError, type Observable } from 'rxjs';
import type { DownloadLink, UploadPage, UploadStatus, UploadUsage } from '@dropgate/shared/api-contract';
import { API_BASE_URL } from '@dropgate/web/util-api';
import { apiError } from './upload-error';

export interface UploadListQuery {
  status?: UploadStatus;
  limit?: number;
  cursor?: string;
  /** uploads:admin only: a subject, or `*` for everyone. */
  owner?: string;
}

/** The recorded uploads: list, usage, download link, delete. Errors arrive as UploadError. */
@Injectable({ providedIn: 'root' })
export class UploadRecordsApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = inject(API_BASE_URL);

  list(query: UploadListQuery): Observable<UploadPage> {
    let params = new HttpParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params = params.set(name, String(value));
    }
    return this.http.get<UploadPage>(`${this.baseUrl}/uploads`, { params }).pipe(catchError(asUploadError));
  }

  /** The caller's bytes that count against their quota, and the quota when there is one. */
  usage(): Observable<UploadUsage> {
    return this.http.get<UploadUsage>(`${this.baseUrl}/uploads/usage`).pipe(catchError(asUploadError));
  }

  downloadLink(id: string): Observable<DownloadLink> {
    return this.http
      .get<DownloadLink>(`${this.baseUrl}/uploads/${encodeURIComponent(id)}/download`)
      .pipe(catchError(asUploadError));
  }

  delete(id: string): Observable<unknown> {
    return this.http
      .delete(`${this.baseUrl}/uploads/${encodeURIComponent(id)}`)
      .pipe(catchError(asUploadError));
  }
}

function asUploadError(failure: unknown) {
  return throwError(() => (failure instanceof HttpErrorResponse ? apiError(failure) : failure));
}
