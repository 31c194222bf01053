import { CanActivate, ExecutionContext, Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { EventStore, openSqliteEventStore, Subscription } from '@cbec/event-store';
import { ProblemFilter } from '@cbec/platform';
import { createHttpAdapter } from '../../../apps/workflow-api/src/configure-app';
import { ReportingDb } from '../../../apps/reporting-consumer/src/reports/reporting-db';
import { SseParser, SseReportSource } from '../../../apps/reporting-consumer/src/sources/sse-report-source';
import type { AnyIntegrationEvent } from '../../../libs/messaging/src/contract/integration-events';
import { IntegrationEventMapper } from '../../../libs/messaging/src/mapping/integration-event-mapper';
import { appendAll, caseLifecycle, caseSpec, scenario } from '../../../libs/messaging/src/testing/case-lifecycle.fixture';
import { waitFor } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { EventsFeedModule } from '../../../libs/messaging/src/feed/events-feed.module';

/** Stands in for the app's JWT guard: `x-test-unit` becomes request.actor (absent header: no actor). */
class HeaderActorGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; actor?: unknown }>();
    const bearer = /^Bearer test-(.+)$/.exec(req.headers.authorization ?? '');
    const unit = req.headers['x-test-unit'] ?? bearer?.[1];
    if (unit) req.actor = { user: 'tester', unit, role: unit === 'APPLICANT' ? 'applicant' : 'officer' };
    return true;
  }
}

interface Frame {
  id?: string;
  event?: string;
  data: AnyIntegrationEvent;
}

describe('GET /api/v1/events/stream, the embedded integration-event feed', () => {
  let dir: string;
  let store: EventStore;
  let app: NestFastifyApplication;
  let base: string;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-feed-'));
    const sqlite = openSqliteEventStore({ directory: dir, synchronous: 'NORMAL', pollIntervalMs: 20 });
    // Records every subscription the feed opens, to see it stop when the client leaves.
    store = Object.assign(Object.create(sqlite) as EventStore, {
      subscribe: (...args: Parameters<EventStore['subscribe']>) => {
        const s = sqlite.subscribe(...args);
        subscriptions.push(s);
        return s;
      },
    });
    @Global()
    @Module({ providers: [{ provide: 'EVENT_STORE', useValue: store }], exports: ['EVENT_STORE'] })
    class StoreModule {}
    const moduleRef = await Test.createTestingModule({ imports: [StoreModule, EventsFeedModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: false });
    app.setGlobalPrefix('api/v1');
    app.useGlobalGuards(new HeaderActorGuard());
    app.useGlobalFilters(new ProblemFilter(app.get(HttpAdapterHost)));
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1/events/stream`;
    await appendAll(store, scenario('feed', 6));
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expected(after = 0): Promise<AnyIntegrationEvent[]> {
    const mapper = new IntegrationEventMapper(store);
    const out: AnyIntegrationEvent[] = [];
    for await (const e of store.readAll()) {
      const m = await mapper.map(e);
      if (m && m.globalPosition > after) out.push(m);
    }
    return out;
  }

  /** Reads frames until `until` says enough, then disconnects. */
  async function read(headers: Record<string, string>, query: string, until: (frames: Frame[]) => boolean): Promise<Frame[]> {
    const abort = new AbortController();
    const res = await fetch(`${base}${query}`, { headers, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const parser = new SseParser();
    const frames: Frame[] = [];
    const decoder = new TextDecoder();
    const timer = setTimeout(() => abort.abort(), 10_000);
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        for (const f of parser.push(decoder.decode(chunk, { stream: true }))) {
          frames.push({ id: f.id, event: f.event, data: JSON.parse(f.data) as AnyIntegrationEvent });
        }
        if (until(frames)) break;
      }
    } catch (e) {
      if ((e as Error).name !== 'AbortError') throw e;
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
    return frames;
  }

  it('streams the contract from the start: id = global position, event = contract type, data = the envelope', async () => {
    const want = await expected();
    const frames = await read({ 'x-test-unit': 'FIN' }, '', (f) => f.length >= want.length);
    expect(frames.map((f) => f.data)).toEqual(want);
    expect(frames.every((f) => f.id === String(f.data.globalPosition) && f.event === f.data.type)).toBe(true);
  });

  it('resumes after Last-Event-ID and goes on live with events appended later', async () => {
    const all = await expected();
    const resumeAt = all[10].globalPosition;
    const later = caseLifecycle(caseSpec('feed', 6));
    const lastLater = later[later.length - 1].event.eventId;
    let appended = false;
    const frames = await read({ 'x-test-unit': 'AUDIT', 'Last-Event-ID': String(resumeAt) }, '', (f) => {
      if (!appended && f.length >= all.length - 11) {
        appended = true;
        void appendAll(store, later);
      }
      return f.some((x) => x.data.eventId === lastLater);
    });
    expect(appended).toBe(true);
    expect(frames[0].data.globalPosition).toBeGreaterThan(resumeAt);
    expect(frames.map((f) => f.data)).toEqual((await expected(resumeAt)).slice(0, frames.length));
  });

  it('starts after ?after= (for a first connection that cannot set headers); Last-Event-ID, sent on reconnect, wins', async () => {
    const all = await expected();
    const from = all[5].globalPosition;
    const want = await expected(from);
    const frames = await read({ 'x-test-unit': 'FIN' }, `?after=${from}`, (f) => f.length >= want.length);
    expect(frames.map((f) => f.data)).toEqual(want);
    const later = all[8].globalPosition;
    const reconnected = await read({ 'x-test-unit': 'FIN', 'Last-Event-ID': String(later) }, `?after=${from}`, (f) => f.length >= 1);
    expect(reconnected[0].data).toEqual((await expected(later))[0]);
  });

  it('filters by ?types= and serves county governments too', async () => {
    const want = (await expected()).filter((e) => e.type === 'AwardApproved.v1' || e.type === 'AwardDisbursed.v1');
    const frames = await read({ 'x-test-unit': 'CTY-341522' }, '?types=AwardApproved.v1,AwardDisbursed.v1', (f) => f.length >= want.length);
    expect(frames.map((f) => f.data)).toEqual(want);
  });

  it('stops its store subscription when the client disconnects', async () => {
    const before = subscriptions.length;
    await read({ 'x-test-unit': 'COM' }, '', (f) => f.length > 3);
    const mine = subscriptions[before];
    expect(mine).toBeDefined();
    await waitFor('the feed subscription to stop', () => mine.state === 'stopped', 5_000);
  });

  it('refuses an applicant (403), a caller without a token (401), an unknown type and a bad Last-Event-ID (400), each saying why, with the codes of the rest of the API', async () => {
    const problem = async (res: Response) => {
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      return (await res.json()) as { status: number; code: string; detail: string };
    };
    const applicant = await fetch(base, { headers: { 'x-test-unit': 'APPLICANT' } });
    expect(await problem(applicant)).toMatchObject({ status: 403, code: 'forbidden', detail: expect.stringMatching(/APPLICANT may not read the event feed/) });
    expect(await problem(await fetch(base))).toMatchObject({ status: 401, code: 'unauthorized' });
    const badType = await fetch(`${base}?types=AwardApproved.v1,AwardPaid.v9`, { headers: { 'x-test-unit': 'FIN' } });
    expect(await problem(badType)).toMatchObject({ status: 400, code: 'invalid-request', detail: expect.stringMatching(/unknown "AwardPaid.v9"/) });
    const badId = await fetch(base, { headers: { 'x-test-unit': 'FIN', 'Last-Event-ID': 'abc' } });
    expect(await problem(badId)).toMatchObject({
      status: 400,
      code: 'invalid-request',
      detail: expect.stringMatching(/Last-Event-ID: "abc" is not a global position/),
    });
    for (const after of ['abc', '-1', '1.5', '']) {
      const badAfter = await fetch(`${base}?after=${after}`, { headers: { 'x-test-unit': 'FIN' } });
      expect(await problem(badAfter)).toMatchObject({
        status: 400,
        code: 'invalid-request',
        detail: `after: "${after}" is not a global position (a whole number from an earlier id: line)`,
      });
    }
  });

  it('feeds the reporting consumer without Kafka: a restarted consumer resumes from the position stored with its rows', async () => {
    const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };
    const db = new ReportingDb(join(dir, 'reporting.db'));
    const first = new SseReportSource(db, { feedUrl: base, token: 'test-AUDIT' }, quiet);
    await first.start();
    const before = await expected();
    await waitFor('the consumer to read the feed', () => db.processedCount() === before.length, 10_000);
    await first.stop();
    await appendAll(store, [...caseLifecycle(caseSpec('feed', 7)), ...caseLifecycle(caseSpec('feed', 8))]);
    const all = await expected();
    const second = new SseReportSource(db, { feedUrl: base, token: 'test-AUDIT' }, quiet);
    await second.start();
    await waitFor('the restarted consumer to catch up', () => db.processedCount() === all.length, 10_000);
    await second.stop();
    expect(second.status()).toMatchObject({ received: all.length - before.length, position: all[all.length - 1].globalPosition });
    const truth = new ReportingDb(':memory:');
    truth.applyBatch(all, { kind: 'sse', feed: 'truth', globalPosition: 0 });
    expect(db.snapshot()).toEqual(truth.snapshot());
    truth.close();
    db.close();
  });
});

describe('the feed when the server stops', () => {
  it('ends every open stream at shutdown, so stopping the server does not wait for clients to leave', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-feed-stop-'));
    const store = openSqliteEventStore({ directory: dir, synchronous: 'NORMAL', pollIntervalMs: 20 });
    @Global()
    @Module({ providers: [{ provide: 'EVENT_STORE', useValue: store }], exports: ['EVENT_STORE'] })
    class StoreModule {}
    const moduleRef = await Test.createTestingModule({ imports: [StoreModule, EventsFeedModule] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { logger: false });
    app.setGlobalPrefix('api/v1');
    app.useGlobalGuards(new HeaderActorGuard());
    await app.listen(0, '127.0.0.1');
    const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api/v1/events/stream`;
    try {
      const res = await fetch(url, { headers: { 'x-test-unit': 'AUDIT' } });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      await reader.read(); // the stream is open: the first comment line arrived
      const started = Date.now();
      await app.close();
      // The server closed without waiting for the client, and the client sees its stream end.
      expect(Date.now() - started).toBeLessThan(3000);
      for (;;) if ((await reader.read()).done) break;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
