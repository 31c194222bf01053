import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchDir } from '../../apps/workflow-api/src/workbench-static';
import { E2eApp, startApp } from './support/e2e-app';

/**
 * The web workbench is served by the workflow service itself (docs/workbench.md): its page at `/` and at
 * every deep link, uncached, with a CSP that allows no inline script and denies framing; its hashed
 * assets cached for a year; the API's unknown paths still answered as problems, never with the page.
 */
const dir = workbenchDir();
if (dir === null) throw new Error('dist/workbench/index.html is missing: run "npm run -s build" first (npm test does)');
const entry = readdirSync(join(dir, 'assets')).find((f) => /^index-.*\.js$/.test(f))!;

let e2e: E2eApp;
beforeAll(async () => {
  e2e = await startApp();
});
afterAll(async () => {
  await e2e.close();
});

describe('the workbench served at /', () => {
  it.each(['/', '/inbox', '/cases/3f1c2a/', '/login'])('answers %s with the page, uncached, under a CSP without inline script or framing', async (path) => {
    const res = await e2e.http().get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<div id="root"></div>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('holds no inline script: every script of the page is a file of its own', async () => {
    const res = await e2e.http().get('/');
    const scripts = [...res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/assets\//);
      expect(body.trim()).toBe('');
    }
  });

  it('caches a hashed asset for a year', async () => {
    const res = await e2e.http().get(`/assets/${entry}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a missing asset and an unknown API path with a 404 problem, not the page', async () => {
    for (const path of ['/assets/index-missing.js', '/api/v1/no-such-route', '/API/v1/no-such-route']) {
      const res = await e2e.http().get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('leaves the OpenAPI page and /health as they are', async () => {
    expect((await e2e.http().get('/api/docs/')).text).toContain('Swagger UI');
    expect((await e2e.http().get('/health')).body).toMatchObject({ status: 'ok' });
  });
});
