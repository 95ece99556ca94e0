import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type {
  ScanResult,
  UploadMethod,
  UploadStatus,
  WebhookAttempt,
  WebhookDeliveryStatus,
  WebhookEventType,
} from '@dropgate/shared/api-contract';

/** Every table, as Kysely sees it: the one place the schema is typed. */
export interface Database {
  uploads: UploadsTable;
  settings: SettingsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
}

/** `bigint` comes back from pg as a string; sizes are below 2^53, so the repository converts. */
type BigIntColumn = ColumnType<string, number | bigint, number | bigint>;
type NullableBigIntColumn = ColumnType<string | null, number | bigint | null, number | bigint | null>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;

export interface UploadsTable {
  id: string;
  owner_issuer: string;
  owner_subject: string;
  owner_segment: string;
  owner_name: string | null;
  key: string;
  file_name: string;
  content_type: string;
  size: BigIntColumn;
  md5: string | null;
  status: UploadStatus;
  status_reason: string | null;
  etag: string | null;
  method: Generated<UploadMethod>;
  s3_upload_id: string | null;
  part_size: NullableBigIntColumn;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
  completed_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** Who holds the settling lease, until `settling_until`; null when nobody does. */
  settling_owner: string | null;
  /** The lease's end; also, after a failed attempt, when the row may be tried again. */
  settling_until: NullableTimestamp;
  /** Failed settling attempts in a row, for backoff. */
  settle_attempts: Generated<number>;
  /** Where clients write the object; null for uploads made before staging (written to `key`). */
  staging_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the staging object may be deleted (no policy can write it any more); null once it was. */
  sweep_after: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** How an available upload was scanned. */
  scan: ColumnType<ScanResult | null, ScanResult | null | undefined, ScanResult | null>;
  released_by: ColumnType<string | null, string | null | undefined, string | null>;
  released_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  release_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Values the instances share, made by a migration (the cursor-signing key). */
export interface SettingsTable {
  name: string;
  value: string;
}

export interface WebhookEndpointsTable {
  id: string;
  url: string;
  event_types: WebhookEventType[];
  description: Generated<string>;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  /** AES-256-GCM under WEBHOOK_SECRETS_KEY; the secret is shown once, at creation or rotation. */
  secret_sealed: string;
  secret_hint: string;
  /** The secret before the last rotation, signed with too until `previous_secret_expires_at`. */
  previous_secret_sealed: string | null;
  previous_secret_expires_at: NullableTimestamp;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_success_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  failures_in_row: Generated<number>;
}

export interface WebhookEventsTable {
  id: string;
  type: WebhookEventType;
  upload_id: string | null;
  body: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface WebhookDeliveriesTable {
  id: string;
  seq: ColumnType<string, never, never>;
  event_id: string;
  endpoint_id: string;
  upload_id: string | null;
  status: WebhookDeliveryStatus;
  attempts: Generated<number>;
  schedule_step: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: NullableTimestamp;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  at: Timestamp;
  duration_ms: number;
  outcome: WebhookAttempt['outcome'];
  status_code: number | null;
  error: string | null;
  response_body: string | null;
}

export type UploadRow = Selectable<UploadsTable>;
export type NewUploadRow = Insertable<UploadsTable>;
export type UploadRowUpdate = Updateable<UploadsTable>;

export interface IdempotencyKeysTable {
  owner_issuer: string;
  owner_subject: string;
  key: string;
  fingerprint: string;
  state: 'in_flight' | 'done';
  lease_until: NullableTimestamp;
  response_status: number | null;
  response_body: string | null;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}
