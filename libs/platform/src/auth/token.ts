import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { Actor } from '@cbec/event-store';
import { actorOf, actorProblems } from './actor';

export interface TokenClaims {
  sub: string;
  unit: string;
  role: string;
  uscc?: string;
}

export class InvalidTokenRequest extends Error {
  constructor(readonly problems: Array<{ field: string; reason: string }>) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.name = 'InvalidTokenRequest';
  }
}

/**
 * Token lifetimes (docs/operations.md "Tokens"): a person's token lasts at most a working day, a machine's
 * (a service that calls the API, minted with `token --machine`) at most 30 days. Every token has an end.
 */
export const MAX_PERSON_TOKEN_SECONDS = 12 * 3600;
export const MAX_MACHINE_TOKEN_SECONDS = 30 * 86400;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds of a lifetime given as seconds or `30m`, `12h`, `7d`; NaN when it is neither. */
export function lifetimeSeconds(expiresIn: number | string): number {
  if (typeof expiresIn === 'number') return expiresIn;
  const m = /^(\d+)([smhd]?)$/.exec(expiresIn.trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2] || 's'] : NaN;
}

/**
 * Mints an HS256 JWT for a validated identity. `expiresIn` in seconds or `30m`/`12h`/`7d`, at most 12 h
 * for a person and 30 days for a machine token (claim `machine: true`).
 */
export function mintToken(secret: string, claims: TokenClaims, expiresIn: number | string = '12h', options: { machine?: boolean } = {}): string {
  const problems = actorProblems(claims);
  const seconds = lifetimeSeconds(expiresIn);
  const max = options.machine ? MAX_MACHINE_TOKEN_SECONDS : MAX_PERSON_TOKEN_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1)
    problems.push({ field: 'expiresIn', reason: `must be a positive number of seconds or 30m, 12h, 7d; got ${JSON.stringify(expiresIn)}` });
  else if (seconds > max)
    problems.push({ field: 'expiresIn', reason: `a ${options.machine ? 'machine' : "person's"} token lasts at most ${max / 3600} h; got ${seconds / 3600} h` });
  if (problems.length) throw new InvalidTokenRequest(problems);
  const payload: Record<string, string | boolean> = { unit: claims.unit, role: claims.role };
  if (claims.uscc !== undefined) payload.uscc = claims.uscc;
  if (options.machine) payload.machine = true;
  return new JwtService({ secret }).sign(payload, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: seconds,
    // The id `token revoke <jti>` names.
    jwtid: randomUUID(),
  });
}

/**
 * Verifies signature (HS256 only), expiry, a lifetime within the maximum of its kind (a token signed with
 * the secret by other means than `mintToken` is held to the same rule) and the identity's coherence;
 * throws with the reason.
 */
export function verifyToken(jwt: JwtService, token: string): Actor {
  const claims = jwt.verify<Record<string, unknown>>(token, { algorithms: ['HS256'] });
  const problems = actorProblems(claims);
  const { iat, exp, machine } = claims;
  const max = machine === true ? MAX_MACHINE_TOKEN_SECONDS : MAX_PERSON_TOKEN_SECONDS;
  if (typeof iat !== 'number' || typeof exp !== 'number')
    problems.push({ field: 'exp', reason: 'a token must say when it was issued (iat) and when it ends (exp)' });
  else if (exp - iat > max)
    problems.push({
      field: 'exp',
      reason: `the token lasts ${Math.round((exp - iat) / 3600)} h; a ${machine === true ? 'machine' : "person's"} token lasts at most ${max / 3600} h`,
    });
  if (problems.length) throw new InvalidTokenRequest(problems);
  return actorOf(claims as unknown as TokenClaims);
}
