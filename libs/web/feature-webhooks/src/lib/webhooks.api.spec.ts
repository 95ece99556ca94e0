import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Observable } from 'rxjs';
import { API_BASE_URL } from '@dropgate/web/util-api';
import { WebhookApiError } from './webhook-api-error';
import { WebhooksApi } from './webhooks.api';

const ID = '0190abcd-0000-7000-8000-000000000001';

function setup() {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: API_BASE_URL, useValue: 'https://portal.example.com/api' },
    ],
  });
  return { sut: TestBed.inject(WebhooksApi), backend: TestBed.inject(HttpTestingController) };
}

/** The first value or error of a call. */
function outcome<T>(call: Observable<T>): { value?: T; error?: unknown } {
  const seen: { value?: T; error?: unknown } = {};
  call.subscribe({ next: (value) => (seen.value = value), error: (error) => (seen.error = error) });
  return seen;
}

const problem = (status: number, code: string, message: string, field = '') => ({
  type: 'about:blank',
  title: 'Refused',
  status,
  detail: 'The request was refused',
  errors: [{ field, code, message }],
});

describe('WebhooksApi', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it.each([
    ['listEndpoints', [], 'GET', '/webhooks/endpoints', null],
    ['getEndpoint', [ID], 'GET', `/webhooks/endpoints/${ID}`, null],
    ['updateEndpoint', [ID, { enabled: false }], 'PATCH', `/webhooks/endpoints/${ID}`, { enabled: false }],
    ['deleteEndpoint', [ID], 'DELETE', `/webhooks/endpoints/${ID}`, null],
    ['rotateSecret', [ID], 'POST', `/webhooks/endpoints/${ID}/rotate-secret`, {}],
    ['test', [ID], 'POST', `/webhooks/endpoints/${ID}/test`, {}],
    ['delivery', ['d/1'], 'GET', '/webhooks/deliveries/d%2F1', null],
    ['replay', [ID], 'POST', `/webhooks/deliveries/${ID}/retry`, {}],
    [
      'recover',
      [ID, '2026-11-28T00:00:00.000Z'],
      'POST',
      `/webhooks/endpoints/${ID}/recover`,
      { since: '2026-11-28T00:00:00.000Z' },
    ],
  ] as const)('should call %s as %s %s', (method, args, verb, path, body) => {
    const { sut, backend } = setup();
    const call = (sut[method] as (...a: readonly unknown[]) => Observable<unknown>).apply(sut, [...args]);
    const seen = outcome(call);
    const request = backend.expectOne(`https://portal.example.com/api${path}`);
    expect(request.request.method).toBe(verb);
    expect(request.request.body).toEqual(body);
    request.flush({ ok: method });
    expect(seen.value).toEqual({ ok: method });
  });

  it('should register an endpoint and hand back its secret', () => {
    const { sut, backend } = setup();
    const seen = outcome(
      sut.createEndpoint({ url: 'https://hooks.example.com/a', eventTypes: ['upload.available'] }),
    );
    const request = backend.expectOne('https://portal.example.com/api/webhooks/endpoints');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      url: 'https://hooks.example.com/a',
      eventTypes: ['upload.available'],
    });
    request.flush({ id: ID, secret: 'whsec_abc' }, { status: 201, statusText: 'Created' });
    expect(seen.value).toEqual({ id: ID, secret: 'whsec_abc' });
  });

  it('should send status and cursor only when given', () => {
    const { sut, backend } = setup();
    outcome(sut.deliveries(ID));
    outcome(sut.deliveries(ID, { status: 'failed', cursor: '42' }));
    const [plain, filtered] = backend.match((r) => r.url.endsWith(`/webhooks/endpoints/${ID}/deliveries`));
    expect(plain.request.params.keys()).toEqual([]);
    expect(filtered.request.params.get('status')).toBe('failed');
    expect(filtered.request.params.get('cursor')).toBe('42');
    plain.flush({ items: [] });
    filtered.flush({ items: [] });
  });

  it('should turn a refused URL into an error that carries its code, field and message', () => {
    const { sut, backend } = setup();
    const seen = outcome(sut.createEndpoint({ url: 'http://10.0.0.7/', eventTypes: ['upload.available'] }));
    backend
      .expectOne('https://portal.example.com/api/webhooks/endpoints')
      .flush(problem(400, 'webhook.url_not_allowed', '10.0.0.7 is not a public address (private)', 'url'), {
        status: 400,
        statusText: 'Bad Request',
      });
    const error = seen.error as WebhookApiError;
    expect(error).toBeInstanceOf(WebhookApiError);
    expect(error.status).toBe(400);
    expect(error.has('webhook.url_not_allowed')).toBe(true);
    expect(error.has('url.invalid')).toBe(false);
    expect(error.about('url')).toBe('10.0.0.7 is not a public address (private)');
    expect(error.about('eventTypes')).toBeUndefined();
    expect(error.message).toBe('10.0.0.7 is not a public address (private)');
  });

  it.each([
    [
      409,
      problem(409, 'webhook.rotation_in_progress', 'Rotate again after 10:00'),
      'Rotate again after 10:00',
    ],
    [
      403,
      problem(403, 'auth.insufficient_scope', 'needs webhooks:admin'),
      'Managing webhooks needs the webhooks:admin scope',
    ],
    [401, problem(401, 'auth.expired', 'expired'), 'Your session ended — sign in again to continue'],
    [502, 'Bad gateway', 'The API answered 502'],
    [0, null, 'Dropgate API unreachable — check your connection'],
  ])('should say what a %s means', (status, body, message) => {
    const { sut, backend } = setup();
    const seen = outcome(sut.rotateSecret(ID));
    const request = backend.expectOne(
      `https://portal.example.com/api/webhooks/endpoints/${ID}/rotate-secret`,
    );
    if (status === 0) request.error(new ProgressEvent('error'), { status: 0 });
    else request.flush(body, { status, statusText: 'Refused' });
    expect((seen.error as WebhookApiError).message).toBe(message);
    expect((seen.error as WebhookApiError).status).toBe(status);
  });
});
