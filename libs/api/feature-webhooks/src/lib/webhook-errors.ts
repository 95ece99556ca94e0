import type { ProblemCode } from '@dropgate/shared/api-contract';
import { ProblemException, problem } from '@dropgate/api/util-http';

const conflictOrMissing = (
  status: 404 | 409,
  kind: string,
  title: string,
  code: ProblemCode,
  detail: string,
) => new ProblemException(problem(status, kind, title, detail, [{ field: '', code, message: detail }]));

/** 503 until WEBHOOK_SECRETS_KEY is set: an endpoint's secret could not be stored. */
export const webhooksNotConfigured = () =>
  new ProblemException(
    problem(
      503,
      'webhooks-not-configured',
      'Webhooks not configured',
      'Webhooks need WEBHOOK_SECRETS_KEY (32 bytes, base64 or hex; `openssl rand -base64 32`) to seal endpoint secrets; nothing was registered',
      [{ field: '', code: 'webhooks.not_configured', message: 'WEBHOOK_SECRETS_KEY is not set' }],
    ),
  );

export const endpointNotFound = () =>
  conflictOrMissing(
    404,
    'webhook-not-found',
    'Endpoint not found',
    'webhook.not_found',
    'No webhook endpoint has this id',
  );

export const deliveryNotFound = () =>
  conflictOrMissing(
    404,
    'delivery-not-found',
    'Delivery not found',
    'webhook.delivery_not_found',
    'No webhook delivery has this id',
  );

/** 409: the previous secret is still valid; rotating again would drop a secret receivers may use. */
export const rotationInProgress = (until: Date) =>
  conflictOrMissing(
    409,
    'webhook-rotation-in-progress',
    'Rotation in progress',
    'webhook.rotation_in_progress',
    `The previous secret is still signed with until ${until.toISOString()}; rotate again after that`,
  );

/** 400 `webhook.url_not_allowed`, with the reason the target was refused. */
export const urlNotAllowed = (reason: string) =>
  ProblemException.validation([{ field: 'url', code: 'webhook.url_not_allowed', message: reason }]);
