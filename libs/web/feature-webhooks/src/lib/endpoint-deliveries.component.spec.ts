import { TestBed } from '@angular/core/testing';
import type { WebhookDelivery } from '@dropgate/shared/api-contract';
import { EndpointDeliveriesComponent, POLL_MS } from './endpoint-deliveries.component';
import { FakeWebhooksApi, delivery, detail, endpoint, problem } from './testing/fake-webhooks-api';
import { WebhooksApi } from './webhooks.api';

const soon = () => new Date(Date.now() + 1000).toISOString();
const later = () => new Date(Date.now() + 10 * 60_000).toISOString();

function render(setUp: (api: FakeWebhooksApi) => void) {
  const api = new FakeWebhooksApi();
  setUp(api);
  TestBed.configureTestingModule({ providers: [{ provide: WebhooksApi, useValue: api }] });
  const fixture = TestBed.createComponent(EndpointDeliveriesComponent);
  fixture.componentRef.setInput('endpoint', endpoint(1));
  const announced: string[] = [];
  let attempted = 0;
  fixture.componentInstance.announce.subscribe((words) => announced.push(words));
  fixture.componentInstance.attempted.subscribe(() => (attempted += 1));
  fixture.detectChanges();
  const element = fixture.nativeElement as HTMLElement;
  const rows = () => Array.from(element.querySelectorAll<HTMLElement>('[data-testid=delivery-row]'));
  const cells = (row: HTMLElement) =>
    Array.from(row.querySelectorAll('td')).map((td) => td.textContent?.replace(/\s+/g, ' ').trim());
  const button = (name: string, within: ParentNode = element) =>
    Array.from(within.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === name,
    ) as HTMLButtonElement;
  return { api, fixture, element, rows, cells, button, announced, attempts: () => attempted };
}

describe('EndpointDeliveriesComponent', () => {
  afterEach(() => jest.useRealTimers());

  it('should list event, status, attempts and times, newest first, and load the next page with the cursor', () => {
    const { api, fixture, rows, cells, button } = render((api) => {
      api.pages = [
        {
          items: [
            delivery(2, { status: 'pending', attempts: 2, nextAttemptAt: later(), completedAt: undefined }),
            delivery(1, { eventType: 'upload.available' }),
          ],
          nextCursor: '17',
        },
        { items: [delivery(0, { status: 'failed', attempts: 8 })] },
      ];
    });
    expect(rows().map((r) => r.getAttribute('data-status'))).toEqual(['pending', 'succeeded']);
    const [event, status, attempts, , finished] = cells(rows()[0]);
    expect([event, attempts, finished]).toEqual(['webhook.test', '2', '—']);
    expect(status).toMatch(/^Pending retry at /);
    expect(cells(rows()[1]).slice(0, 3)).toEqual(['upload.available', 'Delivered', '1']);

    button('More deliveries').click();
    fixture.detectChanges();
    expect(api.callsOf('deliveries')[1]).toEqual([endpoint(1).id, { status: undefined, cursor: '17' }]);
    expect(rows().map((r) => r.getAttribute('data-event-id'))).toEqual(['msg_2', 'msg_1', 'msg_0']);
    expect(button('More deliveries')).toBeUndefined();
  });

  it('should ask for one status when filtered, without announcing what the filter shows', () => {
    const { api, fixture, element, rows, announced } = render(
      (api) => (api.pages = [{ items: [delivery(1)] }, { items: [delivery(2, { status: 'failed' })] }]),
    );
    const select = element.querySelector('select') as HTMLSelectElement;
    select.value = 'failed';
    select.dispatchEvent(new Event('change'));
    fixture.detectChanges();
    expect(api.callsOf('deliveries')[1]).toEqual([endpoint(1).id, { status: 'failed', cursor: undefined }]);
    expect(rows().map((r) => r.getAttribute('data-event-id'))).toEqual(['msg_2']);
    expect(announced).toEqual([]);
  });

  it('should show a delivery’s attempts on request: time, duration, status code, error and response', () => {
    const failed = delivery(1, { status: 'pending', attempts: 2, nextAttemptAt: later() });
    const { fixture, element, rows, button } = render((api) => {
      api.pages = [{ items: [failed] }];
      api.details.set(
        failed.id,
        detail(failed, [
          {
            at: '2026-11-28T10:00:00.000Z',
            durationMs: 41,
            outcome: 'response',
            statusCode: 500,
            responseBody: 'boom',
          },
          { at: '2026-11-28T10:00:05.000Z', durationMs: 5000, outcome: 'failed', error: 'connect ETIMEDOUT' },
        ]),
      );
    });
    const toggle = button('Attempts', rows()[0]);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    fixture.detectChanges();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const attempts = Array.from(element.querySelectorAll('[data-testid=attempt]')).map((li) => ({
      result: li.querySelector('.result')?.textContent,
      when: li.querySelector('time')?.getAttribute('datetime'),
      took: li.querySelector('.muted')?.textContent?.replace(/\s+/g, ' ').trim().split(' · ')[1],
      error: li.querySelector('.error')?.textContent,
      response: li.querySelector('pre')?.textContent,
    }));
    expect(attempts).toEqual([
      {
        result: 'HTTP 500',
        when: '2026-11-28T10:00:00.000Z',
        took: '41 ms',
        error: undefined,
        response: 'boom',
      },
      {
        result: 'No response',
        when: '2026-11-28T10:00:05.000Z',
        took: '5000 ms',
        error: 'connect ETIMEDOUT',
        response: undefined,
      },
    ]);
    expect(element.querySelector('[data-testid=webhook-id]')?.textContent).toBe('msg_1');
  });

  it('should replay a delivery, watch it until it is delivered, and say so', async () => {
    jest.useFakeTimers();
    const failed = delivery(1, { status: 'failed', attempts: 8 });
    const { api, fixture, rows, button, announced, attempts } = render((api) => {
      api.pages = [{ items: [failed] }];
      api.details.set(failed.id, detail(failed));
    });
    expect(attempts()).toBe(1);
    button('Replay', rows()[0]).click();
    fixture.detectChanges();
    expect(api.callsOf('replay')).toEqual([[failed.id]]);
    expect(rows()[0].getAttribute('data-status')).toBe('pending');
    expect(announced).toEqual(['webhook.test queued again with webhook-id msg_1']);

    api.pages = [{ items: [{ ...failed, status: 'succeeded', attempts: 9 }] }];
    jest.advanceTimersByTime(POLL_MS);
    fixture.detectChanges();
    expect(rows()[0].getAttribute('data-status')).toBe('succeeded');
    expect(announced[1]).toBe('webhook.test delivered');
    expect(attempts()).toBe(2);
    // Nothing is due any more: no more asking.
    jest.advanceTimersByTime(POLL_MS * 5);
    expect(api.callsOf('deliveries')).toHaveLength(2);
  });

  it('should say when an attempt failed and stop asking while the retry is far off', () => {
    jest.useFakeTimers();
    const queued: WebhookDelivery = delivery(5, { status: 'pending', attempts: 0, nextAttemptAt: soon() });
    const { api, fixture, rows, announced } = render((api) => (api.pages = [{ items: [queued] }]));
    api.pages = [{ items: [{ ...queued, attempts: 1, nextAttemptAt: later() }] }];
    jest.advanceTimersByTime(POLL_MS);
    fixture.detectChanges();
    expect(rows()[0].textContent).toContain('retry at');
    expect(announced).toEqual(['webhook.test: attempt 1 failed, to be retried']);
    jest.advanceTimersByTime(POLL_MS * 5);
    expect(api.callsOf('deliveries')).toHaveLength(2);
  });

  it('should put a new delivery on top when asked again, keeping the ones already loaded', () => {
    const { fixture, rows } = render(
      (api) => (api.pages = [{ items: [delivery(1)] }, { items: [delivery(2), delivery(1)] }]),
    );
    fixture.componentInstance.refresh();
    fixture.detectChanges();
    expect(rows().map((r) => r.getAttribute('data-event-id'))).toEqual(['msg_2', 'msg_1']);
  });

  it('should drop a delivery the API no longer has when replayed', () => {
    const { fixture, element, rows, button } = render((api) => {
      api.pages = [{ items: [delivery(1)] }];
      api.failNext.set(
        'replay',
        problem(404, 'webhook.delivery_not_found', 'No webhook delivery has this id'),
      );
    });
    button('Replay', rows()[0]).click();
    fixture.detectChanges();
    expect(rows()).toHaveLength(0);
    expect(element.querySelector('[role=alert]')?.textContent).toContain('No webhook delivery has this id');
  });
});
