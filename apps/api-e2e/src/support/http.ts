import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type {
  CreateUploadRequest,
  CreatedPostUpload,
  PresignedPost,
  PresignedPostRequest,
  ProblemDetails,
  UploadRecord,
} from '@dropgate/shared/api-contract';
import { ROOT, identityFlags } from './gateway';

let cachedToken: string | undefined;

/**
 * A real access token from the test provider: client credentials for dropgate-service, which may
 * upload (tokens last five minutes, longer than any spec file).
 */
export function serviceToken(): string {
  cachedToken ??= execFileSync(
    process.execPath,
    [join(ROOT, 'tools/local-idp/token.mjs'), ...identityFlags],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  ).trim();
  return cachedToken;
}

const userTokens = new Map<string, string>();

/** A dev user's token, signed in through the provider's form by script (alice, bob: no admin). */
export function userToken(user: 'alice' | 'bob' | 'admin'): string {
  if (!userTokens.has(user)) {
    const token = execFileSync(
      process.execPath,
      [join(ROOT, 'tools/local-idp/token.mjs'), '--user', user, ...identityFlags],
      { cwd: ROOT, encoding: 'utf8' },
    ).trim();
    userTokens.set(user, token);
  }
  return userTokens.get(user) as string;
}

export const bearer = (token = serviceToken()) => ({ authorization: `Bearer ${token}` });

/** A JSON call to the API as someone (the service by default); the answer as sent. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  token = serviceToken(),
): Promise<RawResponse> {
  return send(baseUrl, path, {
    method,
    headers: { ...bearer(token), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

export async function presign(baseUrl: string, body: PresignedPostRequest): Promise<PresignedPost> {
  const response = await fetch(`${baseUrl}/api/uploads/presigned-post`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`presign failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as PresignedPost;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = ProblemDetails>(): T;
}

/** Sends a raw body, for the bad-input tests. */
export async function send(baseUrl: string, path: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}${path}`, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

export interface FormOptions {
  /** Replace signed fields (tampering). */
  override?: Record<string, string>;
  /** Add fields the policy does not mention. */
  extra?: Record<string, string>;
  /** POST somewhere other than the signed URL. */
  url?: string;
}

/** POSTs a presigned form to S3: policy fields first, then any extras, the file last. */
export async function postForm(
  post: PresignedPost,
  file: Uint8Array<ArrayBuffer>,
  options: FormOptions = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...options.override }))
    form.append(name, value);
  for (const [name, value] of Object.entries(options.extra ?? {})) form.append(name, value);
  form.append('file', new Blob([file]), 'upload.bin');
  const response = await fetch(options.url ?? post.url, { method: 'POST', body: form });
  const text = await response.text();
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? '';
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? '';
  return { status: response.status, text, code, message };
}

export const bytes = (size: number, fill = 0x61): Uint8Array<ArrayBuffer> => new Uint8Array(size).fill(fill);

/** Polls an upload's record until it leaves `scanning`, as a client waiting for the scanner does. */
export async function settledRecord(
  baseUrl: string,
  id: string,
  token = serviceToken(),
  timeoutMs = 30_000,
): Promise<UploadRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = (await call(baseUrl, 'GET', `/api/uploads/${id}`, undefined, token)).json<UploadRecord>();
    if (record.status !== 'scanning' || Date.now() > deadline) return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Creates an upload, POSTs `file` with its policy and completes it: what a client does. Returns
 * the created upload and complete's answer.
 */
export async function sendFile(
  baseUrl: string,
  request: CreateUploadRequest,
  file: Uint8Array<ArrayBuffer>,
  token = serviceToken(),
): Promise<{ created: CreatedPostUpload; completed: RawResponse }> {
  const answer = await call(baseUrl, 'POST', '/api/uploads', request, token);
  if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${answer.text}`);
  const created = answer.json<CreatedPostUpload>();
  const sent = await postForm(asPresignedPost(created), file);
  if (sent.status !== 201 && sent.status !== 204) throw new Error(`POST failed: ${sent.status} ${sent.text}`);
  return {
    created,
    completed: await call(baseUrl, 'POST', `/api/uploads/${created.id}/complete`, undefined, token),
  };
}

/** A created upload's form, in the shape `postForm` takes. */
export const asPresignedPost = (created: CreatedPostUpload): PresignedPost => ({
  ...created.post,
  id: created.id,
  key: created.key,
  expiresAt: created.expiresAt,
});
