import {
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Principal } from '@dropgate/shared/api-contract';
import { ApiProblemResponses } from '../problem-details.dto';
import { keyInFlight, keyInvalid, keyReused } from './idempotency-errors';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IDEMPOTENCY_STORE, type IdempotencyMode, type IdempotencyStore } from './idempotency-store';

const MODE = 'dropgate:idempotency-mode';

/** The header a replayed response carries (IETF httpapi idempotency draft). */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Accepts `Idempotency-Key` on a route: a retry with the same key and request gets the first
 * success again, with `Idempotent-Replayed: true`; the same key with another request 422; a
 * retry while the first is still running 409 with Retry-After. Without the header, nothing changes.
 */
export const Idempotent = (mode: IdempotencyMode) =>
  applyDecorators(
    SetMetadata(MODE, mode),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'A key of your choosing (a UUID per file, say), kept 24 hours: a retry with the same key and body gets the first answer again, with `Idempotent-Replayed: true`.',
    }),
    ApiProblemResponses(409, 422),
  );

type KeyedHttpRequest = FastifyRequest & { principal?: Principal };

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<KeyedHttpRequest>();
    const header = request.headers['idempotency-key'];
    if (header === undefined || !request.principal) return next.handle();
    const key = parseIdempotencyKey(header);
    if (key === undefined) throw keyInvalid();
    const handler = context.getHandler();
    const mode = this.reflector.get<IdempotencyMode>(MODE, handler);
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? 201;
    const keyed = {
      owner: { issuer: request.principal.issuer, subject: request.principal.subject },
      key,
      fingerprint: requestFingerprint(
        request.method,
        request.routeOptions.url ?? '',
        request.params,
        request.body,
      ),
    };
    const work = () => lastValueFrom(next.handle(), { defaultValue: undefined });
    const keep = (result: unknown) => ({ status, body: JSON.stringify(result ?? null) });
    return from(this.answer(mode, keyed, work, keep, http.getResponse<FastifyReply>()));
  }

  private async answer(
    mode: IdempotencyMode,
    keyed: Parameters<IdempotencyStore['leased']>[0],
    work: () => Promise<unknown>,
    keep: (result: unknown) => { status: number; body: string },
    reply: FastifyReply,
  ): Promise<unknown> {
    const outcome =
      mode === 'atomic'
        ? await this.store.atomically(keyed, work, keep)
        : await this.store.leased(keyed, work, keep);
    switch (outcome.kind) {
      case 'fresh':
        return outcome.result;
      case 'replay':
        reply.header(REPLAYED_HEADER, 'true');
        return JSON.parse(outcome.response.body);
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
