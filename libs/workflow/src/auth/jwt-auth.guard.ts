import { createSecretKey } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { DATA_DIR } from '../tokens';
import { Unauthorized } from '../shared/errors';
import { AuthenticatedRequest } from './current-actor.decorator';
import { loadOrCreateJwtSecret } from './jwt-secret';
import { InvalidTokenRequest, verifyToken } from './token';
import { IS_PUBLIC } from './public.decorator';

/**
 * Authenticates every route not marked @Public: a Bearer HS256 JWT signed with the instance's secret.
 * A missing, malformed, expired or foreign-signed token is a 401 whose detail says which.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly jwt: JwtService;

  constructor(
    private readonly reflector: Reflector,
    @Inject(DATA_DIR) dataDir: string,
  ) {
    // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
    // public key on every verification, which cost more than the rest of a request.
    const key = createSecretKey(Buffer.from(loadOrCreateJwtSecret(dataDir), 'utf8'));
    this.jwt = new JwtService({ secret: key as unknown as Buffer });
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') {
      throw new Unauthorized('missing Authorization header: send "Authorization: Bearer <token>" (npm run cli -- token ...)');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new Unauthorized('Authorization header must be "Bearer <token>"');
    try {
      request.actor = verifyToken(this.jwt, match[1]);
    } catch (e) {
      throw new Unauthorized(reasonOf(e));
    }
    return true;
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof InvalidTokenRequest) return `token claims are not a valid identity: ${e.message}`;
  const name = (e as Error)?.name;
  if (name === 'TokenExpiredError') return `token expired at ${(e as { expiredAt?: Date }).expiredAt?.toISOString() ?? 'an earlier time'}`;
  if (name === 'JsonWebTokenError' && /signature/.test((e as Error).message)) {
    return 'token signature is invalid: it was not signed with this instance\'s secret';
  }
  if (name === 'NotBeforeError') return 'token is not valid yet';
  return `token rejected: ${(e as Error)?.message ?? String(e)}`;
}
