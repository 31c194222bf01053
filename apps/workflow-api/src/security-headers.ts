import type { FastifyInstance } from 'fastify';

/**
 * Headers on every answer (docs/api.md "Headers"): no MIME sniffing, no framing by another site, no
 * referrer leaving the server; API answers (JSON, problems, CSV, the event feed) also are never stored by a
 * cache and may load nothing (`default-src 'none'`). The OpenAPI UI (/api/docs) and the pages outside
 * /api keep their scripts: their policy only forbids framing. Four fixed headers set on the raw answer
 * (so that streamed answers carry them too) need no plugin; a route that sets its own Cache-Control
 * (the UI's assets) keeps it.
 */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
} as const;
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
export const PAGE_CONTENT_SECURITY_POLICY = "frame-ancestors 'none'";

export function isApiAnswer(url: string): boolean {
  const path = url.toLowerCase();
  return (path.startsWith('/api/') && !path.startsWith('/api/docs')) || path === '/health' || path.startsWith('/health?') || path.startsWith('/health/');
}

export function registerSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const raw = reply.raw;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) raw.setHeader(name, value);
    if (isApiAnswer(request.url)) {
      raw.setHeader('Cache-Control', 'no-store');
      raw.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
    } else {
      raw.setHeader('Content-Security-Policy', PAGE_CONTENT_SECURITY_POLICY);
    }
    done();
  });
}
