import { Injectable } from '@nestjs/common';
import {
  WEBHOOK_DELIVERY_STATUSES,
  type RecoverResult,
  type WebhookDeliveryDetail,
  type WebhookDeliveryPage,
  type WebhookDeliveryStatus,
} from '@dropgate/shared/api-contract';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository } from '@dropgate/api/data-access-db';
import { ProblemException } from '@dropgate/api/util-http';
import { deliveryNotFound, endpointNotFound } from './webhook-errors';
import { toAttempt, toDelivery } from './webhook-mappers';

const PAGE = 50;

/** Deliveries and their attempts, replay of one, and recovery of an endpoint's failures. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    private readonly repository: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
  ) {}

  /** Newest first, 50 to a page; `cursor` is the last page's `nextCursor`. */
  async list(
    endpointId: string,
    query: { status?: unknown; cursor?: unknown },
  ): Promise<WebhookDeliveryPage> {
    if (!(await this.endpoints.findEndpoint(endpointId))) throw endpointNotFound();
    if (
      query.status !== undefined &&
      !WEBHOOK_DELIVERY_STATUSES.includes(query.status as WebhookDeliveryStatus)
    ) {
      throw ProblemException.validation([
        {
          field: 'status',
          code: 'status.invalid',
          message: `status must be one of ${WEBHOOK_DELIVERY_STATUSES.join(', ')}`,
        },
      ]);
    }
    if (
      query.cursor !== undefined &&
      (typeof query.cursor !== 'string' || !/^\d{1,19}$/.test(query.cursor))
    ) {
      throw ProblemException.validation([
        {
          field: 'cursor',
          code: 'cursor.invalid',
          message: 'cursor is not one this API gave; start again without it',
        },
      ]);
    }
    const rows = await this.repository.listDeliveries({
      endpointId,
      ...(query.status !== undefined && { status: query.status as WebhookDeliveryStatus }),
      ...(query.cursor !== undefined && { beforeSeq: query.cursor as string }),
      limit: PAGE + 1,
    });
    const items = rows.slice(0, PAGE);
    const last = rows.length > PAGE ? items[items.length - 1] : undefined;
    return { items: items.map(toDelivery), ...(last && { nextCursor: String(last.seq) }) };
  }

  async get(id: string): Promise<WebhookDeliveryDetail> {
    const found = await this.repository.findDelivery(id);
    if (!found) throw deliveryNotFound();
    return {
      ...toDelivery(found.delivery),
      body: found.delivery.body,
      attemptLog: found.attempts.map(toAttempt),
    };
  }

  /** Sends it again now, with the same `webhook-id` and body, from the start of the schedule. */
  async retry(id: string): Promise<WebhookDeliveryDetail> {
    const row = await this.repository.requeue(id);
    if (!row) throw deliveryNotFound();
    return this.get(id);
  }

  async recover(endpointId: string, since: string): Promise<RecoverResult> {
    const time = new Date(since);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(since) || Number.isNaN(time.getTime())) {
      throw ProblemException.validation([
        {
          field: 'since',
          code: 'since.invalid',
          message: 'since must be an ISO 8601 time, e.g. 2026-11-28T00:00:00Z',
        },
      ]);
    }
    if (!(await this.endpoints.findEndpoint(endpointId))) throw endpointNotFound();
    return { queued: await this.repository.recover(endpointId, time) };
  }
}
