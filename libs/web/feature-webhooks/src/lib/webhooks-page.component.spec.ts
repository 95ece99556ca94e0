import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthSession } from '@dropgate/web/data-access-auth';
import { FakeWebhooksApi, endpoint, problem } from './testing/fake-webhooks-api';
import { WebhooksApi } from './webhooks.api';
import { WebhooksPageComponent } from './webhooks-page.component';

function render(setUp: (api: FakeWebhooksApi) => void = () => undefined, scopes = ['webhooks:admin']) {
  const api = new FakeWebhooksApi();
  setUp(api);
  TestBed.configureTestingModule({
    providers: [
      { provide: WebhooksApi, useValue: api },
      { provide: AuthSession, useValue: { scopes: signal(scopes) } },
    ],
  });
  const fixture = TestBed.createComponent(WebhooksPageComponent);
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const rows = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid=endpoint-row]'));
  const byLabel = (label: string) => element.querySelector<HTMLElement>(`[aria-label="${label}"]`);
  const button = (name: string, within: ParentNode = element) =>
    Array.from(within.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
  const type = (selector: string, value: string) => {
    const input = element.querySelector(selector) as HTMLInputElement;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    fixture.detectChanges();
  };
  const settle = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  const status = () => element.querySelector('[role=status]')?.textContent?.trim();
  const banner = () => element.querySelector('dg-banner')?.textContent?.trim();
  return { api, fixture, element, rows, byLabel, button, type, settle, status, banner };
}

describe('WebhooksPageComponent', () => {
  it('should tell someone without webhooks:admin that they may not, and ask the API nothing', () => {
    const { api, element } = render(undefined, ['uploads:read', 'uploads:admin']);
    expect(element.querySelector('h1')?.textContent).toBe('Not allowed');
    expect(element.querySelector('[data-testid=not-allowed]')?.textContent).toContain('webhooks:admin');
    expect(element.querySelector('form')).toBeNull();
    expect(api.calls).toEqual([]);
  });

  it('should become the not-allowed page when the API refuses the token for its scope', () => {
    const { element } = render((api) =>
      api.failNext.set(
        'listEndpoints',
        problem(403, 'auth.insufficient_scope', 'Managing webhooks needs the webhooks:admin scope'),
      ),
    );
    expect(element.querySelector('h1')?.textContent).toBe('Not allowed');
  });

  it('should show each endpoint’s health: healthy, failing, disabled and why, or not tried', () => {
    const { rows } = render((api) => {
      api.endpoints = [
        endpoint(1, { health: { failuresInRow: 0, lastSuccessAt: '2026-11-28T09:00:00.000Z' } }),
        endpoint(2, {
          health: {
            failuresInRow: 3,
            failingSince: '2026-11-27T09:00:00.000Z',
            lastSuccessAt: '2026-11-27T08:00:00.000Z',
          },
        }),
        endpoint(3, {
          enabled: false,
          disabledReason: 'the endpoint answered 410 Gone',
          health: { failuresInRow: 1 },
        }),
        endpoint(4),
      ];
    });
    const shown = rows().map((row) => ({
      health: row.getAttribute('data-health'),
      label: row.querySelector('[data-testid=health]')?.textContent?.trim(),
      enabled: (row.querySelector('input[role=switch]') as HTMLInputElement).checked,
    }));
    expect(shown).toEqual([
      { health: 'healthy', label: 'Healthy', enabled: true },
      { health: 'failing', label: 'Failing', enabled: true },
      { health: 'disabled', label: 'Disabled', enabled: false },
      { health: 'untried', label: 'No deliveries yet', enabled: true },
    ]);
    expect(rows()[1].textContent).toContain('3 failures in a row');
    expect(rows()[1].textContent).toContain('failing since');
    expect(rows()[2].textContent).toContain('the endpoint answered 410 Gone');
    expect(rows()[3].textContent?.replace(/\s+/g, ' ')).toContain('last success never');
  });

  it('should register the URL, description and ticked events, and show the secret once', async () => {
    const { api, element, rows, type, button, settle, status } = render();
    type('#webhook-url', '  https://hooks.example.com/new ');
    type('#webhook-description', 'Archive');
    const boxes = Array.from(element.querySelectorAll<HTMLInputElement>('fieldset input[type=checkbox]'));
    expect(boxes.map((b) => b.value)).not.toContain('webhook.test');
    for (const box of boxes.filter((b) => b.value !== 'upload.available' && b.value !== 'upload.deleted')) {
      box.click();
    }
    button('Register endpoint')?.click();
    await settle();
    expect(api.callsOf('createEndpoint')).toEqual([
      [
        {
          url: 'https://hooks.example.com/new',
          eventTypes: ['upload.available', 'upload.deleted'],
          description: 'Archive',
        },
      ],
    ]);
    expect(element.querySelector('[data-testid=secret]')?.textContent).toBe(api.secret);
    expect(element.textContent).toContain('you will not see it again');
    expect(document.activeElement?.id).toBe('webhook-secret-heading');
    expect(status()).toBe('Endpoint https://hooks.example.com/new registered');
    expect(rows()).toHaveLength(1);
    expect(rows()[0].textContent).not.toContain(api.secret);
    expect((element.querySelector('#webhook-url') as HTMLInputElement).value).toBe('');

    button('Done')?.click();
    await settle();
    expect(element.textContent).not.toContain(api.secret);
    expect(document.activeElement?.id).toBe('endpoints-heading');
  });

  it('should say why the API refused a URL beside the field, not above the page', async () => {
    const { element, type, button, settle, banner } = render((api) =>
      api.failNext.set(
        'createEndpoint',
        problem(400, 'webhook.url_not_allowed', '10.0.0.7 is not a public address (private)', 'url'),
      ),
    );
    type('#webhook-url', 'http://10.0.0.7/hook');
    button('Register endpoint')?.click();
    await settle();
    const url = element.querySelector('#webhook-url') as HTMLInputElement;
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(element.querySelector(`#${url.getAttribute('aria-describedby')}`)?.textContent).toContain(
      '10.0.0.7 is not a public address (private)',
    );
    expect(document.activeElement).toBe(url);
    expect(banner()).toBeUndefined();
  });

  it('should ask for a URL and at least one event before sending anything', async () => {
    const { api, element, button, settle } = render();
    for (const box of Array.from(element.querySelectorAll<HTMLInputElement>('fieldset input:checked')))
      box.click();
    button('Register endpoint')?.click();
    await settle();
    expect(api.callsOf('createEndpoint')).toEqual([]);
    expect(element.querySelector('#webhook-url-error')?.textContent).toContain('Enter the endpoint');
    expect(element.querySelector('#webhook-types-error')?.textContent).toContain('Choose at least one event');
    expect(document.activeElement?.id).toBe('webhook-url');
  });

  it('should say the problem’s message above the page when registration fails otherwise', async () => {
    const { type, button, settle, banner } = render((api) =>
      api.failNext.set(
        'createEndpoint',
        problem(503, 'webhooks.not_configured', 'WEBHOOK_SECRETS_KEY is not set'),
      ),
    );
    type('#webhook-url', 'https://hooks.example.com/x');
    button('Register endpoint')?.click();
    await settle();
    expect(banner()).toBe('The endpoint could not be registered: WEBHOOK_SECRETS_KEY is not set');
  });

  it('should delete only after confirming in the row, with the focus on the confirmation', async () => {
    const { api, rows, byLabel, button, settle, status } = render((api) => (api.endpoints = [endpoint(1)]));
    byLabel('Delete https://hooks.example.com/1')?.click();
    await settle();
    expect(api.callsOf('deleteEndpoint')).toEqual([]);
    expect(rows()[0].textContent).toContain('Delete https://hooks.example.com/1 and its deliveries?');
    expect(document.activeElement?.hasAttribute('data-confirm')).toBe(true);
    button('Keep', rows()[0])?.click();
    await settle();
    expect(document.activeElement).toBe(byLabel('Delete https://hooks.example.com/1'));

    byLabel('Delete https://hooks.example.com/1')?.click();
    await settle();
    button('Delete', rows()[0])?.click();
    await settle();
    expect(api.callsOf('deleteEndpoint')).toEqual([[endpoint(1).id]]);
    expect(rows()).toHaveLength(0);
    expect(status()).toBe('Endpoint https://hooks.example.com/1 deleted');
    expect(document.activeElement?.id).toBe('endpoints-heading');
  });

  it('should disable and enable with the switch, and put the switch back when the API refuses', async () => {
    const { api, rows, settle, status, banner } = render((api) => (api.endpoints = [endpoint(1)]));
    const box = () => rows()[0].querySelector('input[role=switch]') as HTMLInputElement;
    box().click();
    await settle();
    expect(api.callsOf('updateEndpoint')).toEqual([[endpoint(1).id, { enabled: false }]]);
    expect(status()).toBe('https://hooks.example.com/1 disabled');
    expect(box().checked).toBe(false);

    api.failNext.set('updateEndpoint', problem(500, 'server.error', 'Something broke'));
    box().click();
    await settle();
    expect(box().checked).toBe(false);
    expect(banner()).toBe('https://hooks.example.com/1 could not be enabled: Something broke');
  });

  it('should rotate after confirming and show the new secret, or the API’s reason on 409', async () => {
    const { api, element, rows, byLabel, button, settle, banner } = render(
      (api) => (api.endpoints = [endpoint(1)]),
    );
    byLabel('Rotate secret of https://hooks.example.com/1')?.click();
    await settle();
    button('Rotate', rows()[0])?.click();
    await settle();
    expect(element.querySelector('[data-testid=secret]')?.textContent).toBe(`${api.secret}-rotated`);
    expect(element.querySelector('dg-webhook-secret')?.textContent).toContain(
      'The previous secret also signs',
    );
    button('Done')?.click();

    api.failNext.set(
      'rotateSecret',
      problem(
        409,
        'webhook.rotation_in_progress',
        'The previous secret is still signed with until 2026-11-29T10:00:00.000Z',
      ),
    );
    byLabel('Rotate secret of https://hooks.example.com/1')?.click();
    await settle();
    button('Rotate', rows()[0])?.click();
    await settle();
    expect(banner()).toBe(
      'The secret of https://hooks.example.com/1 was not rotated. The previous secret is still signed with until 2026-11-29T10:00:00.000Z',
    );
    expect(element.querySelector('[data-testid=secret]')).toBeNull();
  });

  it('should send a test and open the endpoint’s deliveries, or ask them again when open', async () => {
    const { api, element, byLabel, settle, status } = render((api) => (api.endpoints = [endpoint(1)]));
    byLabel('Test https://hooks.example.com/1')?.click();
    await settle();
    expect(api.callsOf('test')).toEqual([[endpoint(1).id]]);
    expect(status()).toBe('Test event queued for https://hooks.example.com/1');
    expect(element.querySelector('dg-webhook-deliveries')).not.toBeNull();
    expect(byLabel('Deliveries to https://hooks.example.com/1')?.getAttribute('aria-expanded')).toBe('true');
    expect(api.callsOf('deliveries')).toHaveLength(1);

    byLabel('Test https://hooks.example.com/1')?.click();
    await settle();
    expect(api.callsOf('deliveries')).toHaveLength(2);
  });

  it('should recover from the time chosen, sent as UTC, and say how many were queued', async () => {
    const { api, element, rows, byLabel, button, settle, status } = render(
      (api) =>
        (api.endpoints = [
          endpoint(1, { health: { failuresInRow: 2, failingSince: '2026-11-27T09:30:00.000Z' } }),
        ]),
    );
    byLabel('Recover https://hooks.example.com/1')?.click();
    await settle();
    const since = element.querySelector('input[type=datetime-local]') as HTMLInputElement;
    expect(document.activeElement).toBe(since);
    // It offers the time the endpoint began failing.
    expect(new Date(since.value).getTime()).toBe(Date.parse('2026-11-27T09:30:00.000Z'));
    since.value = '2026-11-20T08:15';
    since.dispatchEvent(new Event('input'));
    button('Recover', rows()[0])?.click();
    await settle();
    expect(api.callsOf('recover')).toEqual([[endpoint(1).id, new Date(2026, 10, 20, 8, 15).toISOString()]]);
    expect(status()).toBe('3 deliveries to https://hooks.example.com/1 queued again');
    expect(document.activeElement).toBe(byLabel('Recover https://hooks.example.com/1'));
  });

  it('should take an endpoint off the list when the API says it no longer exists', async () => {
    const { rows, byLabel, settle, banner } = render((api) => {
      api.endpoints = [endpoint(1), endpoint(2)];
      api.failNext.set('test', problem(404, 'webhook.not_found', 'No webhook endpoint has this id'));
    });
    byLabel('Test https://hooks.example.com/1')?.click();
    await settle();
    expect(rows().map((r) => r.querySelector('.url')?.textContent)).toEqual(['https://hooks.example.com/2']);
    expect(banner()).toBe('https://hooks.example.com/1 no longer exists: it was deleted');
  });
});
