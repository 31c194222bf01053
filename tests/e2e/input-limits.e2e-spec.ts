import type { AddressInfo } from 'node:net';
import { MAX_FEED_STREAMS_PER_USER, MAX_JSON_ARRAY_ITEMS, MAX_JSON_DEPTH, MAX_PAGE_OFFSET, MAX_REF_LENGTH } from '@cbec/platform';
import { E2eApp, luanUscc, startApp } from './support/e2e-app';
import { p2aSubmission, submit } from './support/flows';

/**
 * The attacks of docs/limits.md ("## Sizes") over HTTP: each answers a 4xx problem+json naming the field
 * and the limit, stores nothing, and leaves the server answering.
 */
describe('input size limits over HTTP', () => {
  const ENTERPRISE = luanUscc(2001);
  let e2e: E2eApp;
  let base: string;

  beforeAll(async () => {
    e2e = await startApp();
    // A listening server, for the requests supertest cannot make: long-lived streams, a body without a Content-Type.
    await e2e.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(e2e.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => e2e.close());

  const applicant = () => e2e.auth('APPLICANT', 'applicant', ENTERPRISE);
  const postRaw = (path: string, text: string, auth: Record<string, string> = applicant()) =>
    e2e.http().post(path).set(auth).set('Content-Type', 'application/json').send(text);

  function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code: string): void {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: `urn:cbec:problem:${code}` });
    expect(res.status).toBe(status);
  }

  describe('a JSON command', () => {
    let head: number;
    beforeEach(async () => {
      head = await e2e.store.headPosition();
    });
    afterEach(async () => {
      // Nothing of a refused command reached the log.
      expect(await e2e.store.headPosition()).toBe(head);
    });

    it(`with 40,000 fee items is a 400 naming claims.platformFeesCny and the limit (${MAX_JSON_ARRAY_ITEMS})`, async () => {
      const res = await e2e
        .http()
        .post('/api/v1/applications')
        .set(applicant())
        .send(
          p2aSubmission(
            ENTERPRISE,
            Array.from({ length: 40_000 }, () => '1.00'),
          ),
        );
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([
        { field: 'claims.platformFeesCny', reason: expect.stringContaining('at most 1000 items'), limit: MAX_JSON_ARRAY_ITEMS },
      ]);
    });

    it('with a lone surrogate ("\\ud800") in a text field is a 400 naming the field', async () => {
      const text = JSON.stringify(p2aSubmission(ENTERPRISE)).replace('"enterprise"', '"enterprise","name":"企业\\ud800"');
      const res = await postRaw('/api/v1/applications', text);
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([{ field: 'beneficiary.name', reason: expect.stringContaining('lone UTF-16 surrogate') }]);
    });

    it('with bytes that are not UTF-8 (a surrogate encoded as if it were a character) is a 400, not U+FFFD stored', async () => {
      const bytes = Buffer.concat([Buffer.from('{"paymentRef": "PAY-'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]);
      const res = await fetch(`${base}/api/v1/applications/any/disbursement`, {
        method: 'POST',
        headers: { ...e2e.auth('FIN', 'officer'), 'Content-Type': 'application/json' },
        body: bytes,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid-request', detail: 'the body is not valid UTF-8: some bytes encode no character' });
    });

    it('with NUL in an identifier is a 400 naming the field and the character', async () => {
      const res = await postRaw('/api/v1/applications/any/disbursement', '{"paymentRef": "FIN-PAY\\u0000-1"}', e2e.auth('FIN', 'officer'));
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([{ field: 'paymentRef', reason: 'holds the control character U+0000' }]);
    });

    it(`nested 10,000 deep is a 400 naming the limit (${MAX_JSON_DEPTH} levels)`, async () => {
      const deep = `{"program":"P2a","claims":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const res = await postRaw('/api/v1/applications', deep);
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/^claims(\[0\])+$/), limit: MAX_JSON_DEPTH })]);
    });

    it(`with a reference longer than ${MAX_REF_LENGTH} characters is a 400 naming the field and the limit`, async () => {
      const res = await e2e
        .http()
        .post('/api/v1/applications/any/disbursement')
        .set(e2e.auth('FIN', 'officer'))
        .send({ paymentRef: 'R'.repeat(MAX_REF_LENGTH + 1) });
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'paymentRef', limit: MAX_REF_LENGTH })]);
    });

    it('sent without a Content-Type is a 415 saying to send application/json, not a 400 listing the fields as missing', async () => {
      const res = await fetch(`${base}/api/v1/applications/any/rejection`, {
        method: 'POST',
        headers: e2e.auth('FIN', 'officer'),
        body: new TextEncoder().encode('{"reason": "no invoices"}'),
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({
        code: 'unsupported-media-type',
        detail: 'send the command as JSON with Content-Type: application/json (the request had no Content-Type)',
      });
    });

    it('sent as text/plain (what fetch says of a string body) is a 415 naming what was sent', async () => {
      const res = await fetch(`${base}/api/v1/applications/any/rejection`, { method: 'POST', headers: e2e.auth('FIN', 'officer'), body: '{"reason": "x"}' });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/\(got text\/plain;charset=UTF-8\)$/);
    });
  });

  describe('a list read', () => {
    it('with ?offset=9223372036854775807 is a 400 naming offset and the limit', async () => {
      const res = await e2e.http().get('/api/v1/applications?offset=9223372036854775807').set(e2e.auth('FIN', 'officer'));
      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'offset', limit: MAX_PAGE_OFFSET })]);
    });

    it('with the largest offset is an empty page', async () => {
      const res = await e2e.http().get(`/api/v1/applications?offset=${MAX_PAGE_OFFSET}`).set(e2e.auth('FIN', 'officer'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], offset: MAX_PAGE_OFFSET });
    });
  });

  describe('?minPosition= beyond the head of the log', () => {
    it('is a 400 position-beyond-head at once, naming the head, on the read models and on the deadlines', async () => {
      const id = await submit(e2e, p2aSubmission(ENTERPRISE));
      const head = await e2e.store.headPosition();
      for (const path of [`/api/v1/applications/${id}`, '/api/v1/applications', '/api/v1/inbox', `/api/v1/applications/${id}/deadlines`]) {
        const res = await e2e
          .http()
          .get(`${path}?minPosition=${head + 1}`)
          .set(e2e.auth('FIN', 'officer'));
        expectProblem(res, 400, 'position-beyond-head');
        expect(res.body).toMatchObject({ head, minPosition: head + 1, errors: [{ field: 'minPosition', limit: head }] });
      }
      // The head itself is a position a command answered: the read waits for it and answers.
      expect((await e2e.http().get(`/api/v1/applications/${id}?minPosition=${head}`).set(e2e.auth('FIN', 'officer'))).status).toBe(200);
    });
  });

  describe('the event feed', () => {
    /** Opens a stream and waits for its first line; `close()` hangs up. */
    async function openStream(auth: Record<string, string>): Promise<{ status: number; body: string; close: () => void }> {
      const abort = new AbortController();
      const res = await fetch(`${base}/api/v1/events/stream`, { headers: auth, signal: abort.signal });
      if (res.status !== 200) return { status: res.status, body: await res.text(), close: () => abort.abort() };
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      return { status: 200, body: '', close: () => abort.abort() };
    }

    it(`holds at most ${MAX_FEED_STREAMS_PER_USER} streams of one user open: the next is a 429 naming the limit, another user's is served`, async () => {
      const fin = e2e.auth('FIN', 'officer');
      const open = [];
      for (let i = 0; i < MAX_FEED_STREAMS_PER_USER; i++) open.push(await openStream(fin));
      expect(open.map((s) => s.status)).toEqual(Array.from({ length: MAX_FEED_STREAMS_PER_USER }, () => 200));
      const refused = await openStream(fin);
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body)).toMatchObject({ code: 'too-many-streams', title: 'Too Many Requests', limit: MAX_FEED_STREAMS_PER_USER });
      const other = await openStream(e2e.auth('COM', 'officer'));
      expect(other.status).toBe(200);
      other.close();
      // A closed stream frees its place (the server sees the hang-up a moment later).
      open.pop()?.close();
      let again = await openStream(fin);
      for (let tries = 0; again.status === 429 && tries < 50; tries++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await openStream(fin);
      }
      expect(again.status).toBe(200);
      again.close();
      for (const s of open) s.close();
    });
  });

  it('answers /health after all of the above', async () => {
    expect((await e2e.http().get('/health')).status).toBe(200);
  });
});
