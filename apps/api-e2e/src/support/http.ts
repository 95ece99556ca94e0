import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { PresignedPost, PresignedPostRequest, ProblemDetails } from '@dropgate/shared/api-contract';
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
