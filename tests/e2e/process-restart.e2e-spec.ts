import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allEvents, bearer, call, eventually, requireBuild, ServerProcess, startServer } from './support/server-process';

/**
 * The built server as child processes on one temp data dir: killed (SIGKILL) between two steps and
 * started again, and two instances at once. The servers' process clock is shifted from outside with
 * CBEC_CLOCK_OFFSET_MS (the HTTP side keeps the system clock), so a restart lands after the due date.
 */

jest.setTimeout(120_000);

const USCC = '91341500MA2010017C';
const DAY = 86_400_000;

/** An offset that puts the process clock `days` after the start (Asia/Shanghai) of `dueDate`. */
function offsetPast(dueDate: string, days: number): string {
  return String(Date.parse(`${dueDate}T00:00:00+08:00`) + days * DAY - Date.now());
}

async function submitAndAccept(server: ServerProcess, dataDir: string): Promise<{ id: string; dueDate: string }> {
  const submitted = await call(server, 'POST', '/api/v1/applications', bearer(dataDir, 'COM', 'officer'), {
    program: 'P1',
    year: 2019,
    beneficiary: { uscc: USCC, kind: 'enterprise' },
    claims: { otherMunicipalTradeAward: false },
  });
  expect(submitted.status).toBe(201);
  const id = submitted.body.applicationId as string;
  const accepted = await call(server, 'POST', `/api/v1/applications/${id}/acceptance`, bearer(dataDir, 'FIN', 'officer'), {});
  expect(accepted.status).toBe(201);
  return { id, dueDate: accepted.body.dueDate as string };
}

const count = (events: { type: string }[], type: string) => events.filter((e) => e.type === type).length;

describe('the approval process across crashes and instances (built server, child processes)', () => {
  let dataDir: string;
  const servers: ServerProcess[] = [];

  beforeAll(() => requireBuild());
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-restart-'));
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.kill()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given a server killed right after an acceptance, when it starts again past the due date, the case resumes: each review is marked overdue once', async () => {
    const first = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '100' });
    servers.push(first);
    const { id, dueDate } = await submitAndAccept(first, dataDir);
    await first.kill();

    // Before the due date nothing is overdue, whatever the restart replays.
    const early = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '100' });
    servers.push(early);
    await eventually(
      'the restarted process has the case',
      () => call(early, 'GET', `/api/v1/applications/${id}/deadlines`, bearer(dataDir, 'FIN', 'officer')),
      (r) => r.status === 200 && r.body.status === 'under-review',
    );
    await early.kill();
    expect(count(await allEvents(dataDir), 'ReviewOverdue')).toBe(0);

    const later = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '100', CBEC_CLOCK_OFFSET_MS: offsetPast(dueDate, 1) });
    servers.push(later);
    const detail = await eventually(
      'ReviewOverdue for COM, CUS and PBC on the case',
      () => call(later, 'GET', `/api/v1/applications/${id}`, bearer(dataDir, 'FIN', 'officer')),
      (r) => Array.isArray(r.body.overdueReviews) && (r.body.overdueReviews as unknown[]).length === 3,
    );
    expect((detail.body.overdueReviews as Array<{ unit: string; dueDate: string }>).map((o) => [o.unit, o.dueDate])).toEqual([
      ['COM', dueDate],
      ['CUS', dueDate],
      ['PBC', dueDate],
    ]);
    // Killed again mid-flight and restarted: the checkpoint and the outbox make the repeat a no-op.
    await later.kill();
    const again = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '100', CBEC_CLOCK_OFFSET_MS: offsetPast(dueDate, 3) });
    servers.push(again);
    await new Promise((r) => setTimeout(r, 1500));
    const events = (await allEvents(dataDir)).filter((e) => e.streamId === `application-${id}`);
    expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'CaseAccepted', 'ReviewOverdue', 'ReviewOverdue', 'ReviewOverdue']);
  });

  it('two instances on one data dir (one events.db, one process.db) never mark a review overdue twice', async () => {
    // Both instances' process clocks are 30 days ahead: every acceptance is overdue at once, so the two
    // race on every review of every case.
    const env = { CBEC_PROCESS_TICK_MS: '50', CBEC_CLOCK_OFFSET_MS: String(30 * DAY) };
    const a = await startServer(dataDir, env);
    servers.push(a);
    const b = await startServer(dataDir, env);
    servers.push(b);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await submitAndAccept(i % 2 === 0 ? a : b, dataDir)).id);

    await eventually(
      '12 ReviewOverdue events',
      async () => count(await allEvents(dataDir), 'ReviewOverdue'),
      (n) => n >= 12,
    );
    await new Promise((r) => setTimeout(r, 1500)); // many more ticks of both instances
    const events = await allEvents(dataDir);
    expect(count(events, 'ApplicationSubmitted')).toBe(4);
    expect(count(events, 'CaseAccepted')).toBe(4);
    const marks = events.filter((e) => e.type === 'ReviewOverdue').map((e) => {
      const d = e.data as { applicationId: string; unit: string; round: number };
      return `${d.applicationId}/${d.round}/${d.unit}`;
    });
    expect(marks).toHaveLength(12);
    expect(new Set(marks).size).toBe(12);
    expect(new Set(marks.map((m) => m.split('/')[0]))).toEqual(new Set(ids));
  });
});
