import { ProblemException, problemFor } from '@dropgate/api/util-http';

/** 503 until WEBHOOK_SECRETS_KEY is set: an endpoint's secret could not be stored. */
export const webhooksNotConfigured = () =>
  problemFor(
    'webhooks.not_configured',
    'Webhooks need WEBHOOK_SECRETS_KEY (32 bytes, base64 or hex; `openssl rand -base64 32`) to seal endpoint secrets; nothing was registered',
    {
      errors: [{ field: '', code: 'webhooks.not_configured', message: 'WEBHOOK_SECRETS_KEY is not set' }],
    },
  );

export const endpointNotFound = () => problemFor('webhook.not_found', 'No webhook endpoint has this id');

export const deliveryNotFound = () =>
  problemFor('webhook.delivery_not_found', 'No webhook delivery has this id');

/** 409: the previous secret is still valid; rotating again would drop a secret receivers may use. */
export const rotationInProgress = (until: Date) =>
  problemFor(
    'webhook.rotation_in_progress',
    `The previous secret is still signed with until ${until.toISOString()}; rotate again after that`,
  );

/** 400 `webhook.url_not_allowed`, with the reason the target was refused. */
export const urlNotAllowed = (reason: string) =>
  ProblemException.validation([{ field: 'url', code: 'webhook.url_not_allowed', message: reason }]);
