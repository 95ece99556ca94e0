import type { OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Agent } from 'undici';
import { allowedNetworkOf, isPublicUnicast, rangeOf, type AllowedNetwork } from './allowed-networks';
import { guardedLookup, type AddressPolicy } from './guarded-lookup';
import { parseRetryAfter } from './retry-after';
import { blockedBy, failureOf, type SendResult } from './send-result';
import { checkWebhookUrl } from './webhook-target';

export interface WebhookTransportSettings {
  /** Networks reachable although not public, and the only ones plain http:// may go to. */
  allowed: readonly AllowedNetwork[];
  /** The longest to wait for a connection (DNS, TCP and TLS). */
  connectTimeoutMs: number;
  /** The longest one attempt may take, from the lookup to the last byte read. */
  attemptTimeoutMs: number;
}

interface Transport {
  request: typeof import('undici').request;
  /** For https://: public addresses and the allowed networks. */
  anyAgent: Agent;
  /** For http:// to a host name: the allowed networks only. */
  allowedOnlyAgent: Agent;
}

/** One delivery attempt: the signed headers and the JSON body, sent as they are. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal?: AbortSignal;
}

/** How much of a reply is kept for the delivery log; the rest is never read. */
export const MAX_RESPONSE_BODY_BYTES = 1024;

/**
 * Posts webhooks with the SSRF checks: IP literals are checked before connecting, host names are
 * checked address by address when resolved, redirects are not followed, each attempt has a
 * deadline, and only the first KiB of a reply is read. Never throws for network problems.
 */
export class WebhookSender implements OnModuleDestroy {
  private transport?: Promise<Transport>;
  private destroyed = false;

  constructor(private readonly settings: WebhookTransportSettings) {}

  /** Sends one attempt; see SendResult for what comes back. */
  async send({ url, headers, body, signal }: WebhookRequest): Promise<SendResult> {
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    const target = checkWebhookUrl(url, this.settings.allowed);
    if (!target.ok) return { outcome: 'blocked', reason: target.reason, durationMs: durationMs() };
    const deadline = AbortSignal.timeout(this.settings.attemptTimeoutMs);
    const attemptSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
    try {
      const { request, anyAgent, allowedOnlyAgent } = await this.connect();
      const response = await request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...lowerCaseKeys(headers) },
        body,
        signal: attemptSignal,
        dispatcher: target.url.protocol === 'http:' ? allowedOnlyAgent : anyAgent,
      });
      const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
      const start = await readStart(response.body, MAX_RESPONSE_BODY_BYTES);
      return {
        outcome: 'response',
        status: response.statusCode,
        body: start,
        durationMs: durationMs(),
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      };
    } catch (error) {
      const blocked = blockedBy(error);
      if (blocked) return { outcome: 'blocked', reason: blocked.message, durationMs: durationMs() };
      return { outcome: 'failed', error: failureOf(error, signal), durationMs: durationMs() };
    }
  }

  /** Drops every connection; attempts still running end as `failed`. */
  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    const transport = await this.transport?.catch(() => undefined);
    if (transport) await Promise.all([transport.anyAgent.destroy(), transport.allowedOnlyAgent.destroy()]);
  }

  /**
   * undici and the two agents, made for the first attempt: an instance that never sends a
   * webhook does not load undici (about 3 MB of heap, measured).
   */
  private connect(): Promise<Transport> {
    // After shutdown, as with agents that were destroyed: the attempt fails, and nothing is left open.
    if (this.destroyed) return Promise.reject(new Error('the webhook sender has shut down'));
    if (this.transport) return this.transport;
    this.transport = import('undici').then(({ Agent, request }) => {
      const { allowed } = this.settings;
      const inAllowed = (address: string) => allowedNetworkOf(address, allowed) !== undefined;
      return {
        request,
        anyAgent: this.agent(Agent, (address) =>
          inAllowed(address) || isPublicUnicast(address)
            ? null
            : `${rangeOf(address)} addresses are not reachable unless listed in WEBHOOK_ALLOWED_CIDRS`,
        ),
        allowedOnlyAgent: this.agent(Agent, (address) =>
          inAllowed(address)
            ? null
            : 'plain http:// is only sent to the networks in WEBHOOK_ALLOWED_CIDRS; use https://',
        ),
      };
    });
    // A failed load is tried again by the next attempt, not kept.
    this.transport.catch(() => (this.transport = undefined));
    return this.transport;
  }

  private agent(UndiciAgent: typeof Agent, policy: AddressPolicy): Agent {
    const { connectTimeoutMs, attemptTimeoutMs } = this.settings;
    return new UndiciAgent({
      connect: { timeout: connectTimeoutMs, lookup: guardedLookup(policy) },
      // The attempt's signal is the real deadline; these only stop undici's 300 s defaults outliving it.
      headersTimeout: attemptTimeoutMs,
      bodyTimeout: attemptTimeoutMs,
    });
  }
}

/**
 * Reads at most `limit` bytes and destroys the stream, which closes the connection, so a huge or
 * dripping reply costs no more than its first KiB. A reply cut by the deadline or a reset keeps
 * what arrived: the status is the answer.
 */
async function readStart(stream: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.byteLength;
      if (size >= limit) break;
    }
  } catch {
    // Deadline or reset while reading the body: keep the part that arrived.
  } finally {
    stream.destroy();
  }
  // StringDecoder.write holds back a character cut in half instead of printing U+FFFD. PostgreSQL's
  // text holds no NUL, so a reply with one would never be recorded (and its delivery sent again
  // and again): each becomes U+FFFD.
  return new StringDecoder('utf8').write(Buffer.concat(chunks).subarray(0, limit)).replaceAll('\0', '\uFFFD');
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
