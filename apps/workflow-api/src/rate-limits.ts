import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { changesSomething, problem, sessionIdFrom } from '@cbec/platform';

/**
 * Rate limits (docs/api.md "Rate limits"), each per minute and set by the environment:
 * - `CBEC_RATE_AUTH_FAILURES_PER_IP` (default 20): answers 401 and refused logins from one address;
 *   past it, that address gets 429 on every /api/v1 request until the minute is over.
 * - `CBEC_RATE_COMMANDS_PER_USER` (default 600): commands (POST, PUT, PATCH, DELETE) of one user (the
 *   token's `sub`) or one session (budgetKeyOf).
 * - `CBEC_RATE_COMMANDS_PER_IP` (default 3000): commands from one address, whoever sends them.
 * `0` turns a limit off. Counters are per process (in cluster mode each worker counts its own).
 * The event feed's concurrent streams are limited where they are served (libs/messaging).
 * Built on @fastify/rate-limit's `createRateLimit`, which counts without answering, so that the three
 * limits apply together and the 429 is the API's problem+json.
 */
export interface RateLimitSettings {
  authFailuresPerIp: number;
  commandsPerUser: number;
  commandsPerIp: number;
}

export class RateLimitSettingError extends Error {}

export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const read = (name: string, fallback: number): number => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0)
      throw new RateLimitSettingError(`${name} must be a whole number of requests per minute (0: no limit), got ${JSON.stringify(text)}`);
    return n;
  };
  return {
    authFailuresPerIp: read('CBEC_RATE_AUTH_FAILURES_PER_IP', 20),
    commandsPerUser: read('CBEC_RATE_COMMANDS_PER_USER', 600),
    commandsPerIp: read('CBEC_RATE_COMMANDS_PER_IP', 3000),
  };
}

const MINUTE_MS = 60_000;
const LOGIN_PATH = '/api/v1/session';

/**
 * Whose budget a command spends: the `sub` of its bearer token, or its session. The token is read, not
 * verified, here (the guard verifies it later): a forged token naming someone else spends at most what
 * the address's failed-authentication limit lets through, since each forgery is a 401.
 */
export function budgetKeyOf(request: Pick<FastifyRequest, 'headers' | 'ip'>): string {
  const header = request.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  if (bearer) {
    try {
      const claims = JSON.parse(Buffer.from(bearer.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
      if (typeof claims.sub === 'string' && claims.sub !== '') return `sub:${claims.sub}`;
    } catch {
      // not a JWT: counted by the credential itself below
    }
  }
  const secret = bearer ?? sessionIdFrom(request.headers);
  return secret ? `credential:${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}` : `ip:${request.ip}`;
}

function tooMany(reply: FastifyReply, retryAfterSeconds: number, detail: string, limit: string): FastifyReply {
  const body = problem(429, 'rate-limited', detail, { limitName: limit, retryAfterSeconds });
  return reply.code(429).header('Retry-After', String(retryAfterSeconds)).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

/** Registers the limits on the app's Fastify instance (configureApp does, before Nest adds its routes). */
export function registerRateLimits(fastify: FastifyInstance, settings: RateLimitSettings): void {
  const plugin: FastifyPluginAsync = async (instance) => {
    await instance.register(rateLimit, { global: false });
    const limiter = (max: number, key: (request: FastifyRequest) => string) =>
      max > 0 ? instance.createRateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: key }) : undefined;
    const authFailures = limiter(settings.authFailuresPerIp, (r) => `auth:${r.ip}`);
    const perUser = limiter(settings.commandsPerUser, (r) => `user:${budgetKeyOf(r)}`);
    const perIp = limiter(settings.commandsPerIp, (r) => `ip:${r.ip}`);

    instance.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?')[0].toLowerCase();
      if (!path.startsWith('/api/v1/')) return;
      if (authFailures) {
        const seen = await authFailures(request, { increment: false });
        if (!seen.isAllowed && seen.remaining === 0) {
          return tooMany(reply, seen.ttlInSeconds, `too many failed authentications from this address: at most ${seen.max} a minute`, 'auth-failures-per-ip');
        }
      }
      if (!changesSomething(request.method)) return;
      for (const [check, name, what] of [
        [perUser, 'commands-per-user', 'commands under this credential'],
        [perIp, 'commands-per-ip', 'commands from this address'],
      ] as const) {
        if (!check) continue;
        const counted = await check(request);
        if (!counted.isAllowed && counted.isExceeded) return tooMany(reply, counted.ttlInSeconds, `too many ${what}: at most ${counted.max} a minute`, name);
      }
    });
    // A failed authentication is known only from its answer: a 401, or a refused login (POST /session).
    instance.addHook('onResponse', async (request, reply) => {
      if (!authFailures) return;
      const failedLogin =
        request.method === 'POST' && request.url.split('?')[0].toLowerCase() === LOGIN_PATH && reply.statusCode >= 400 && reply.statusCode !== 429;
      if (reply.statusCode === 401 || failedLogin) await authFailures(request);
    });
  };
  // Not encapsulated: the hooks apply to every route of the app (Fastify's `skip-override`, as fastify-plugin sets).
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  void fastify.register(plugin);
}
