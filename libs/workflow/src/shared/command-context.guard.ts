import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Actor } from '@cbec/event-store';
import { canonicalJson } from '@cbec/domain';
import { CLOCK, Clock, deterministicId, CommandContext, onBeforeSend, BadRequest, Unprocessable, IdempotentReplay } from '@cbec/platform';
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

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * For every command (an authenticated POST; AuthModule runs this right after the JWT guard): builds its
 * CommandContext (actor, clock, ids) and honours `Idempotency-Key`: the first successful answer is
 * remembered per (principal, key) just before it is sent, and a repeat gets it back (IdempotentReplay) without
 * reaching the handler. Refusals are not remembered: repeating a refused command decides again, and
 * stores nothing twice because its command id derives from the key.
 */
@Injectable()
export class CommandContextGuard implements CanActivate {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly answers: IdempotencyStore,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<CommandRequest>();
    if (request.method !== 'POST' || !request.actor) return true;
    const actor = request.actor;
    const rawKey = request.headers['idempotency-key'];
    const key = Array.isArray(rawKey) ? rawKey[0] : rawKey;
    if (key !== undefined && !KEY.test(key)) {
      throw new BadRequest('Idempotency-Key must be 1-200 visible ASCII characters', [
        { field: 'Idempotency-Key', reason: 'must be 1-200 visible ASCII characters' },
      ]);
    }
    // Answers are kept per principal, not per user name: the same `sub` in an AUDIT or APPLICANT token is
    // another caller, who must be authorized for itself and never gets the FIN head's answer back.
    const principal = principalOf(actor);
    const commandId = key === undefined ? randomUUID() : deterministicId('http-command', principal, key);
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
    if (key === undefined) return true;

    const path = (request.originalUrl ?? request.url).split('?')[0];
    // A file (the customs import's CSV or workbook) is fingerprinted by its bytes: a UTF-8 text gives the
    // same digest as its string did. A password never enters the fingerprint (idempotency.db keeps it).
    const fingerprint = Buffer.isBuffer(request.body)
      ? createHash('sha256').update(`${request.method} ${path}\n`).update(request.body).digest('hex')
      : createHash('sha256')
          .update(`${request.method} ${path}\n${typeof request.body === 'string' ? request.body : canonicalJson(withoutPassword(request.body ?? null))}`)
          .digest('hex');
    return this.answerOnce(request, principal, key, fingerprint, actor.user);
  }

  /** A repeat gets the first answer back; a first request has its answer remembered before it is sent. */
  private async answerOnce(request: CommandRequest, principal: string, key: string, fingerprint: string, user: string): Promise<boolean> {
    const earlier = await this.answers.find(principal, key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new Unprocessable('idempotency-key-reused', `Idempotency-Key "${key}" was already used by ${user} for a different request; use a new key`);
      }
      throw new IdempotentReplay(earlier);
    }
    onBeforeSend(request, (status, payload) => {
      if (status < 200 || status >= 300) return;
      const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
      if (text === undefined) return; // not a JSON answer (none of the commands): a repeat decides again
      return this.answers.remember(principal, key, { fingerprint, status, body: text.length ? (JSON.parse(text) as unknown) : null }, this.clock.now());
    });
    return true;
  }
}

/** The whole caller: user, unit, role and (for an applicant) USCC. */
export function principalOf(actor: Actor): string {
  return JSON.stringify([actor.user, actor.unit, actor.role, actor.uscc ?? null]);
}

/**
 * An unsalted SHA-256 of a body holding a password would be a fast-to-guess copy of it in
 * idempotency.db: the fingerprint of account creation and password reset leaves the password out.
 */
function withoutPassword(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('password' in body)) return body;
  const { password: _password, ...rest } = body as Record<string, unknown>;
  return rest;
}
