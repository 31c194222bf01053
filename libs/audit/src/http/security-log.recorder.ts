import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuditContext } from '../audit-context';
import type { AccessRefusal } from '../integrity/security-log';

/** Statuses that are always a security event, whatever the method. */
const ALWAYS = new Set([401, 403, 429]);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FLUSH_MS = 200;

/** Whether an answer goes to the security log: 401, 403, 429, and any other 4xx to a command. */
export function isSecurityEvent(method: string, status: number): boolean {
  return ALWAYS.has(status) || (status >= 400 && status < 500 && !READS.has(method.toUpperCase()));
}

/** The problem's code and detail of a refusal's body (problem+json), or what the status says. */
export function problemOf(status: number, payload: unknown): { code: string; detail: string } {
  if (typeof payload === 'string' && payload.startsWith('{')) {
    try {
      const body = JSON.parse(payload) as { code?: unknown; detail?: unknown };
      return { code: typeof body.code === 'string' ? body.code : `http-${status}`, detail: typeof body.detail === 'string' ? body.detail.slice(0, 500) : '' };
    } catch {
      // not JSON after all: the status says what happened
    }
  }
  return { code: `http-${status}`, detail: '' };
}

/**
 * Keeps every refused request in the security log (docs/auditing.md "Security log"). Refusals are queued
 * and written every 200 ms in one transaction: a flood of 401s or 429s costs one write a batch, not one
 * fsync a request. Reading the log (GET /audit/security-log) writes what is queued first.
 */
@Injectable()
export class SecurityLogRecorder implements OnModuleDestroy {
  private readonly logger = new Logger('SecurityLog');
  private queue: AccessRefusal[] = [];
  private timer?: NodeJS.Timeout;

  constructor(@Inject(AuditContext) private readonly audit: AuditContext) {}

  record(refusal: AccessRefusal): void {
    this.queue.push(refusal);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    try {
      await this.audit.security().recordRefusals(batch);
    } catch (error) {
      // The answers already went out; what is lost is named in the server's log.
      this.logger.error(`${batch.length} refusal(s) not written to the security log: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
  }

  /** The Fastify hook that sees every answer (configureApp installs it). */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const status = reply.statusCode;
      if (isSecurityEvent(request.method, status)) this.record(refusalOf(request, status, payload));
      done(null, payload);
    });
  }
}

function refusalOf(request: FastifyRequest, status: number, payload: unknown): AccessRefusal {
  const actor = (request as FastifyRequest & { actor?: { user: string; unit: string; role: string } }).actor;
  const { code, detail } = problemOf(status, payload);
  return {
    at: new Date().toISOString(),
    status,
    code,
    method: request.method,
    path: request.url.split('?')[0].slice(0, 500),
    user: actor?.user ?? null,
    unit: actor?.unit ?? null,
    role: actor?.role ?? null,
    ip: request.ip,
    detail,
  };
}
