import { createSecretKey } from 'node:crypto';
import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { Actor } from '@cbec/event-store';
import { CLOCK, Clock, DATA_DIR, DATABASE_URL, systemClock } from '../tokens';
import { AccountsService } from './accounts.service';
import { changesSomething, CSRF_HEADER, sessionIdFrom } from './session-cookie';
import { Forbidden, Unauthorized } from '../http/errors';
import { AuthenticatedRequest } from './current-actor.decorator';
import { loadOrCreateJwtSecret } from './jwt-secret';
import { InvalidTokenRequest, verifyToken } from './token';
import { IS_PUBLIC } from './public.decorator';
import { PostgresTokenRevocations } from './postgres-token-revocations';
import { SqliteTokenRevocations, TokenRevocations } from './token-revocations';

/** Tokens verified recently, at most this many (a client sends the same token with every request). */
const VERIFIED_CACHE_SIZE = 1024;

interface Verified {
  actor: Actor;
  /** The token's `exp` and `nbf` claims (seconds since the epoch), re-checked on every use. */
  exp: number | null;
  nbf: number | null;
  /** What the revocation list is checked against on every use. */
  claims: { jti?: unknown; sub?: unknown; iat?: unknown };
}

/**
 * Authenticates every route not marked @Public: a Bearer HS256 JWT signed with the instance's secret, or,
 * without an Authorization header, the login session's cookie (docs/api.md, "Sessions"). A missing,
 * malformed, expired or foreign-signed token is a 401 whose detail says which. A cookie-authenticated
 * request that changes anything must also carry the session's `X-CSRF-Token` (403 otherwise): a page of
 * another site can make the browser send the cookie, never that header.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate, OnModuleDestroy {
  private readonly jwt: JwtService;
  /**
   * Token string -> what verifying it gave. The signature and claims of a given string never change, and
   * the secret is fixed for the life of the process; only time can invalidate a good token, so a hit is
   * used only while `exp`/`nbf` still allow it and anything else goes through the full verification
   * (which then gives the precise 401).
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(DATA_DIR) dataDir: string,
    @Optional() private readonly accounts?: AccountsService,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
    @Optional() @Inject(DATABASE_URL) databaseUrl: string | null = null,
  ) {
    // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
    // public key on every verification, which cost more than the rest of a request.
    const key = createSecretKey(Buffer.from(loadOrCreateJwtSecret(dataDir), 'utf8'));
    this.jwt = new JwtService({ secret: key as unknown as Buffer });
    this.revocations = databaseUrl ? new PostgresTokenRevocations(databaseUrl) : new SqliteTokenRevocations(dataDir);
  }

  private readonly revocations: TokenRevocations;

  async onModuleDestroy(): Promise<void> {
    await this.revocations.close();
  }

  private async notRevoked(claims: Verified['claims'], actor: Actor): Promise<Actor> {
    const why = await this.revocations.revoked(claims);
    if (why) throw new Unauthorized(why);
    return actor;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') {
      const sessionId = sessionIdFrom(request.headers);
      if (sessionId !== undefined && this.accounts) {
        request.actor = await this.sessionActor(sessionId, request);
        return true;
      }
      throw new Unauthorized('missing Authorization header: send "Authorization: Bearer <token>" (npm run cli -- token ...) or log in (POST /api/v1/session)');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new Unauthorized('Authorization header must be "Bearer <token>"');
    request.actor = await this.actorFor(match[1]);
    return true;
  }

  private async sessionActor(sessionId: string, request: AuthenticatedRequest & { method?: string }): Promise<Actor> {
    const session = await this.accounts!.authenticate(sessionId, this.clock.now());
    if (!session) throw new Unauthorized('the session has ended (logged out, idle too long, or the account changed): log in again (POST /api/v1/session)');
    if (changesSomething(request.method ?? 'GET')) {
      const sent = request.headers[CSRF_HEADER];
      const token = Array.isArray(sent) ? sent[0] : sent;
      if (typeof token !== 'string' || !sameText(token, session.csrfToken)) {
        throw new Forbidden('a request authenticated by the session cookie that changes anything must carry the X-CSRF-Token header given at login');
      }
    }
    const actor: Actor = { user: session.username, unit: session.unit, role: session.role };
    if (session.uscc !== null) actor.uscc = session.uscc;
    return actor;
  }

  private async actorFor(token: string): Promise<Actor> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const hit = this.verified.get(token);
    // The same tests jsonwebtoken applies (no clock tolerance): expired at exp, valid from nbf.
    if (hit && (hit.exp === null || nowSeconds < hit.exp) && (hit.nbf === null || hit.nbf <= nowSeconds)) {
      return this.notRevoked(hit.claims, { ...hit.actor });
    }
    this.verified.delete(token);
    let actor: Actor;
    try {
      actor = verifyToken(this.jwt, token);
    } catch (e) {
      if (isForeignSignature(e)) throw new Unauthorized(FOREIGN_SIGNATURE, FOREIGN_SIGNATURE_HINT);
      throw new Unauthorized(reasonOf(e));
    }
    const claims = this.jwt.decode<Record<string, unknown> | null>(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, {
      actor: { ...actor },
      exp: typeof claims?.exp === 'number' ? claims.exp : null,
      nbf: typeof claims?.nbf === 'number' ? claims.nbf : null,
      claims: { jti: claims?.jti, sub: claims?.sub, iat: claims?.iat },
    });
    return this.notRevoked({ jti: claims?.jti, sub: claims?.sub, iat: claims?.iat }, actor);
  }
}

/**
 * Every data folder generates its own `jwt-secret`, so a well-formed token that fails the signature check
 * was almost always minted by `cli token` run against another data folder (docs/api.md).
 */
const FOREIGN_SIGNATURE =
  "token signature is invalid: it was not signed with this server's secret (CBEC_JWT_SECRET_FILE, else the jwt-secret in its CBEC_DATA_DIR)";
const FOREIGN_SIGNATURE_HINT =
  "mint the token with the server's data folder: CBEC_DATA_DIR=<the server's CBEC_DATA_DIR> npm run --silent cli -- token --sub <user> --unit <unit> --role <role>";

function isForeignSignature(e: unknown): boolean {
  return (e as Error)?.name === 'JsonWebTokenError' && /signature/.test((e as Error).message);
}

function reasonOf(e: unknown): string {
  if (e instanceof InvalidTokenRequest) return `token claims are not a valid identity: ${e.message}`;
  const name = (e as Error)?.name;
  if (name === 'TokenExpiredError') return `token expired at ${(e as { expiredAt?: Date }).expiredAt?.toISOString() ?? 'an earlier time'}`;
  if (name === 'NotBeforeError') return 'token is not valid yet';
  return `token rejected: ${(e as Error)?.message ?? String(e)}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
