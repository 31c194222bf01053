import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createHash, randomUUID } from 'node:crypto';
import { Observable, of, tap } from 'rxjs';
import { Actor } from '@cbec/event-store';
import { canonicalJson } from '@cbec/domain';
import { CLOCK, Clock } from '../tokens';
import { deterministicId, CommandContext } from './aggregate-store';
import { BadRequest, Unprocessable } from './errors';
import { IdempotencyStore } from './idempotency.store';

interface CommandRequest {
  method: string;
  originalUrl?: string;
  url: string;
  body?: unknown;
  actor?: Actor;
  headers: Record<string, string | string[] | undefined>;
  commandContext?: CommandContext;
}

/** The status Nest set for the route (@HttpCode) before the interceptors run; Fastify's reply has it. */
interface CommandResponse {
  statusCode: number;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Around every command (POST): builds its CommandContext (actor, clock, ids) and honours
 * `Idempotency-Key`: the first successful answer is remembered per (user, key) and a repeat gets it back
 * (same status and body) without reaching the handler. Refusals are not remembered: repeating a refused
 * command decides again, and stores nothing twice because its command id derives from the key.
 */
@Injectable()
export class CommandContextInterceptor implements NestInterceptor {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly answers: IdempotencyStore,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CommandRequest>();
    if (request.method !== 'POST' || !request.actor) return next.handle();
    const actor = request.actor;
    const rawKey = request.headers['idempotency-key'];
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (key !== undefined && !KEY.test(key)) {
      throw new BadRequest('Idempotency-Key must be 1-200 visible ASCII characters', [
        { field: 'Idempotency-Key', reason: 'must be 1-200 visible ASCII characters' },
      ]);
    }
    const commandId = key === undefined ? randomUUID() : deterministicId('http-command', actor.user, key);
    const rawCorrelation = request.headers['x-correlation-id'];
    const correlation = Array.isArray(rawCorrelation) ? rawCorrelation[0] : rawCorrelation;
    request.commandContext = {
      commandId,
      // A caller's correlation id ties its commands together in the log; anything odd is ignored.
      correlationId: correlation !== undefined && KEY.test(correlation) ? correlation : commandId,
      causationId: null,
      actor,
      now: this.clock.now(),
    };
    if (key === undefined) return next.handle();

    const path = (request.originalUrl ?? request.url).split('?')[0];
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${path}\n${typeof request.body === 'string' ? request.body : canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const response = context.switchToHttp().getResponse<CommandResponse>();
    const earlier = this.answers.find(actor.user, key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new Unprocessable('idempotency-key-reused', `Idempotency-Key "${key}" was already used by ${actor.user} for a different request; use a new key`);
      }
      const http = this.adapterHost.httpAdapter;
      http.status(response, earlier.status);
      http.setHeader(response, 'Idempotent-Replayed', 'true');
      return of(earlier.body);
    }
    return next.handle().pipe(
      tap((body) => {
        this.answers.remember(actor.user, key, { fingerprint, status: response.statusCode, body }, this.clock.now());
      }),
    );
  }
}
