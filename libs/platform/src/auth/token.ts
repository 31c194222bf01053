import { JwtService } from '@nestjs/jwt';
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

/** Mints an HS256 JWT for a validated identity. `expiresIn` in seconds or a vercel/ms string ('12h'). */
export function mintToken(secret: string, claims: TokenClaims, expiresIn: number | string = '12h'): string {
  const problems = actorProblems(claims);
  if (problems.length) throw new InvalidTokenRequest(problems);
  const payload: Record<string, string> = { unit: claims.unit, role: claims.role };
  if (claims.uscc !== undefined) payload.uscc = claims.uscc;
  return new JwtService({ secret }).sign(payload, {
    algorithm: 'HS256',
    subject: claims.sub,
    expiresIn: expiresIn as never,
  });
}

/** Verifies signature (HS256 only), expiry and the identity's coherence; throws with the reason. */
export function verifyToken(jwt: JwtService, token: string): Actor {
  const claims = jwt.verify<Record<string, unknown>>(token, { algorithms: ['HS256'] });
  const problems = actorProblems(claims);
  if (problems.length) throw new InvalidTokenRequest(problems);
  return actorOf(claims as unknown as TokenClaims);
}
