import {
  Inject,
  Injectable,
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '@dropgate/shared/api-contract';
import { ApiHeader } from '../openapi/openapi-decorators';
import { ApiProblemResponses } from '../problem-details.dto';
import { keyInFlight, keyInvalid, keyReused } from './idempotency-errors';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import {
  IDEMPOTENCY_STORE,
  type IdempotencyMode,
  type IdempotencyStore,
  type KeyedRequest,
} from './idempotency-store';

/** The header a replayed response carries (IETF httpapi idempotency draft). */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Documents `Idempotency-Key` on a route: a retry with the same key and request gets the first
 * success again, with `Idempotent-Replayed: true`; the same key with another request 422; a
 * retry while the first is still running 409 with Retry-After. Without the header, nothing
 * changes. The handler takes the key with `@IdempotencyKey()` and answers through
 * `Idempotency.run`.
 *
 * Not an interceptor: a route with any interceptor runs its handler through Nest's RxJS
 * pipeline on every request, key or not, and that cost the hot create about a tenth of its rate.
 */
export const Idempotent = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A key of your choosing (a UUID per file, say), kept 24 hours: a retry with the same key and body gets the first answer again, with `Idempotent-Replayed: true`.',
    }),
    ApiProblemResponses(409, 422),
  );

/** A request that carries an `Idempotency-Key`: what answering it once needs. */
export interface IdempotentRequest {
  keyed: KeyedRequest;
  /** The status of the route's success, kept with its body. */
  status: number;
  reply: Pick<FastifyReply, 'header'>;
}

type KeyedHttpRequest = FastifyRequest & { principal?: Principal };

/**
 * The request's key, owner and fingerprint; undefined without the header (or on a route no
 * principal reached). An unusable key is refused with 400 `idempotency.key_invalid`.
 */
export function idempotentRequestOf(context: ExecutionContext): IdempotentRequest | undefined {
  const http = context.switchToHttp();
  const request = http.getRequest<KeyedHttpRequest>();
  const header = request.headers['idempotency-key'];
  if (header === undefined || !request.principal) return undefined;
  const key = parseIdempotencyKey(header);
  if (key === undefined) throw keyInvalid();
  return {
    keyed: {
      owner: { issuer: request.principal.issuer, subject: request.principal.subject },
      key,
      fingerprint: requestFingerprint(
        request.method,
        request.routeOptions.url ?? '',
        request.params,
        request.body,
      ),
    },
    status: Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? 201,
    reply: http.getResponse<FastifyReply>(),
  };
}

/** The handler's parameter for `Idempotency.run`: see `idempotentRequestOf`. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  idempotentRequestOf(context),
);

/** Answers keyed requests once per key, through the store (PostgreSQL). */
@Injectable()
export class Idempotency {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  /**
   * Runs `work` for a request without a key. With one: `atomic` runs it inside the transaction
   * that keeps the key, `leased` while the key is held; a kept answer is replayed without running
   * it, the key with another request is refused (422), and a key still at work answers 409.
   */
  async run<T>(
    mode: IdempotencyMode,
    request: IdempotentRequest | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    if (!request) return work();
    const keep = (result: T) => ({ status: request.status, body: JSON.stringify(result ?? null) });
    const outcome =
      mode === 'atomic'
        ? await this.store.atomically(request.keyed, work, keep)
        : await this.store.leased(request.keyed, work, keep);
    switch (outcome.kind) {
      case 'fresh':
        return outcome.result;
      case 'replay':
        request.reply.header(REPLAYED_HEADER, 'true');
        return JSON.parse(outcome.response.body) as T;
      case 'key_reused':
        throw keyReused();
      case 'in_flight':
        throw keyInFlight();
      default:
        return assertNever(outcome);
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled idempotency outcome ${JSON.stringify(value)}`);
}
