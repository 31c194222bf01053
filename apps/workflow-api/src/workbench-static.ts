import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The web workbench (docs/workbench.md): the files Vite built into dist/workbench, served by this service
 * at `/`. Hashed assets (`/assets/*`) are cached for a year and never change under their name; every other
 * path that is not the API's, the docs' or /health answers index.html uncached, so a deep link
 * (`/cases/…`) survives a reload and a new build is seen at once. The page runs no inline script and may
 * not be framed.
 */
export const WORKBENCH_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // antd writes its component styles at run time (CSS-in-JS): styles only, never script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the built workbench is: beside the built server (dist/workbench), also when the server runs from source (jest). */
export function workbenchDir(): string | null {
  const candidates = [
    process.env.CBEC_WORKBENCH_DIR,
    resolve(__dirname, '..', '..', '..', 'workbench'),
    resolve(__dirname, '..', '..', '..', 'dist', 'workbench'),
  ];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'index.html'))) return dir;
  return null;
}

function pageHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', WORKBENCH_CSP)
    .header('X-Frame-Options', 'DENY')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'same-origin')
    .header('Cache-Control', 'no-cache');
}

/** Paths that belong to the API and the OpenAPI page: never answered with the workbench's page. */
const NOT_THE_WORKBENCH = /^\/(api|health)(\/|$|\?)/i;

/** Registers the workbench's routes; false (and nothing registered) when it has not been built. */
export function registerWorkbench(fastify: FastifyInstance, dir: string | null = workbenchDir()): boolean {
  if (dir === null) return false;
  const index = readFileSync(join(dir, 'index.html'));
  // A second @fastify/static beside the OpenAPI UI's: no reply decorator, so the two do not collide.
  void fastify.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    setHeaders: (reply) => void reply.header('X-Content-Type-Options', 'nosniff'),
  });
  const page = (request: { url: string }, reply: FastifyReply): FastifyReply | Promise<void> => {
    if (NOT_THE_WORKBENCH.test(request.url)) return reply.callNotFound() as unknown as FastifyReply;
    return pageHeaders(reply).type('text/html; charset=utf-8').send(index);
  };
  fastify.get('/', page);
  fastify.get('/*', page);
  return true;
}
