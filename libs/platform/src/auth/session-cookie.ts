import { parse, serialize } from 'cookie';

/** The login session's cookie (HttpOnly, SameSite=Strict, Path=/api/v1). */
export const SESSION_COOKIE = 'cbec_session';
/** The header a cookie-authenticated request that changes anything must carry (docs/api.md, "Sessions"). */
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function changesSomething(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function sessionIdFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers.cookie;
  const text = Array.isArray(raw) ? raw.join('; ') : raw;
  if (!text) return undefined;
  const value = parse(text)[SESSION_COOKIE];
  return value ? value : undefined;
}

/**
 * Secure when the request came over HTTPS: the socket's own TLS, or, with CBEC_TRUST_PROXY=1, the
 * `X-Forwarded-Proto` of the proxy in front (a client could send that header itself, so only on demand).
 */
export function overHttps(request: { protocol?: string; headers: Record<string, string | string[] | undefined> }, trustProxy: boolean): boolean {
  if (request.protocol === 'https') return true;
  if (!trustProxy) return false;
  const forwarded = request.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

export function sessionCookie(sessionId: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return serialize(SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'strict',
    secure: options.secure,
    path: '/api/v1',
    maxAge: options.maxAgeSeconds,
  });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: '/api/v1', maxAge: 0 });
}
