import { HttpClient, HttpContext, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { of } from 'rxjs';
import { apiTokenInterceptor } from './api-token.interceptor';
import { WITHOUT_TOKEN } from './auth-config.source';
import { AuthSession } from './auth-session';

class FakeSession {
  token = 'token-123';
  ended = 0;
  accessToken = () => of(this.token);
  markEnded = () => (this.ended += 1);
}

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([apiTokenInterceptor])),
      provideHttpClientTesting(),
      { provide: AuthSession, useClass: FakeSession },
    ],
  });
  return {
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    session: TestBed.inject(AuthSession) as unknown as FakeSession,
  };
}

describe('apiTokenInterceptor', () => {
  it('should send the bearer token to the API', () => {
    const { http, backend } = setup();
    http.post('/api/uploads/presigned-post', {}).subscribe();
    expect(backend.expectOne('/api/uploads/presigned-post').request.headers.get('Authorization')).toBe(
      'Bearer token-123',
    );
  });

  it.each([
    ['a path-style bucket on the gateway', 'http://127.0.0.1:7480/dropgate'],
    ['a virtual-hosted bucket', 'https://dropgate.s3.eu-west-1.amazonaws.com/'],
    ['a page outside the API', '/assets/logo.svg'],
  ])('should never send it to %s', (_case, url) => {
    const { http, backend } = setup();
    http.post(url, new FormData()).subscribe();
    expect(backend.expectOne(url).request.headers.has('Authorization')).toBe(false);
  });

  it('should send none with the public sign-in settings', () => {
    const { http, backend } = setup();
    http.get('/api/auth/config', { context: new HttpContext().set(WITHOUT_TOKEN, true) }).subscribe();
    expect(backend.expectOne('/api/auth/config').request.headers.has('Authorization')).toBe(false);
  });

  it('should send no header at all when there is no token yet', () => {
    const { http, backend, session } = setup();
    session.token = '';
    http.get('/api/uploads/config').subscribe();
    expect(backend.expectOne('/api/uploads/config').request.headers.has('Authorization')).toBe(false);
  });

  it('should end the session when the API answers 401, and pass the error on', () => {
    const { http, backend, session } = setup();
    let failed = 0;
    http.get('/api/uploads/config').subscribe({ error: () => (failed += 1) });
    backend.expectOne('/api/uploads/config').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect([session.ended, failed]).toEqual([1, 1]);
  });

  it('should not end the session on other failures', () => {
    const { http, backend, session } = setup();
    http.get('/api/uploads/config').subscribe({ error: () => undefined });
    backend.expectOne('/api/uploads/config').flush({}, { status: 403, statusText: 'Forbidden' });
    expect(session.ended).toBe(0);
  });
});
