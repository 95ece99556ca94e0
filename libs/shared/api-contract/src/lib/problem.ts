/** Stable, machine-readable reasons for a rejected request, `<field>.<reason>`. */
export type ProblemCode =
  | 'body.invalid_json'
  | 'body.too_large'
  | 'body.unsupported_media_type'
  | 'body.not_object'
  | 'fileName.required'
  | 'fileName.not_string'
  | 'fileName.too_long'
  | 'fileName.no_usable_characters'
  | 'contentType.required'
  | 'contentType.not_string'
  | 'contentType.invalid'
  | 'contentType.not_allowed'
  | 'contentType.extension_mismatch'
  | 'size.required'
  | 'size.not_integer'
  | 'size.too_small'
  | 'size.too_large'
  | 'md5.invalid'
  | 'method.invalid'
  | 'files.required'
  | 'files.invalid'
  | 'files.too_many'
  | 'files.item_not_object'
  | 'parts.invalid'
  | 'partNumber.invalid'
  | 'upload.parts_incomplete'
  | 'upload.not_multipart'
  | 'upload.not_found'
  | 'upload.not_in_storage'
  | 'upload.not_pending'
  | 'upload.not_available'
  | 'upload.settling'
  | 'upload.not_held'
  | 'reason.required'
  | 'reason.invalid'
  | 'cursor.invalid'
  | 'url.required'
  | 'url.invalid'
  | 'webhook.url_not_allowed'
  | 'eventTypes.invalid'
  | 'description.invalid'
  | 'enabled.invalid'
  | 'since.invalid'
  | 'webhook.not_found'
  | 'webhook.delivery_not_found'
  | 'webhook.rotation_in_progress'
  | 'webhooks.not_configured'
  | 'status.invalid'
  | 'limit.invalid'
  | 'quota.exceeded'
  | 'field.unknown'
  | 'field.invalid'
  | 'route.not_found'
  | 'method.not_allowed'
  | 'rate.limited'
  | 'idempotency.key_invalid'
  | 'idempotency.key_reused'
  | 'idempotency.in_flight'
  | 'auth.missing'
  | 'auth.invalid'
  | 'auth.expired'
  | 'auth.insufficient_scope'
  | 'auth.not_configured'
  | 'auth.unavailable'
  | 'storage.unavailable'
  | 'storage.misconfigured'
  | 'scanner.unavailable'
  | 'database.unavailable'
  | 'server.draining'
  | 'server.error';

export interface ProblemFieldError {
  /** Dotted path of the offending field; empty for the body as a whole. */
  field: string;
  code: ProblemCode;
  message: string;
}

/** An error response, `application/problem+json` (RFC 9457). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors: ProblemFieldError[];
}
