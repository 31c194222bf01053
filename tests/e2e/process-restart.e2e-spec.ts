import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allEvents, bearer, call, eventually, KILL_AFTER_RESERVATION, requireBuild, ServerProcess, startServer } from './support/process-child-server';

/**
 * The built server as child processes on one temp data dir: killed (SIGKILL) between two steps and
 * started again, and two instances at once. A restarted server's clock is shifted from outside with
 * CBEC_CLOCK_OFFSET_MS (honoured in test runs only: jest sets NODE_ENV=test and the children inherit it),
 * so a restart lands after the due date.
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
    // Accepted today, then both instances' clocks 30 days ahead: every acceptance is overdue at once, so
    // the two race on every review of every case.
    const today = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '0' });
    servers.push(today);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await submitAndAccept(today, dataDir)).id);
    await today.kill();
    const env = { CBEC_PROCESS_TICK_MS: '50', CBEC_CLOCK_OFFSET_MS: String(30 * DAY) };
    const a = await startServer(dataDir, env);
    servers.push(a);
    const b = await startServer(dataDir, env);
    servers.push(b);

    await eventually(
      '12 ReviewOverdue events',
      async () => count(await allEvents(dataDir), 'ReviewOverdue'),
      (n) => n >= 12,
    );
    await new Promise((r) => setTimeout(r, 1500)); // many more ticks of both instances
    const events = await allEvents(dataDir);
    expect(count(events, 'ApplicationSubmitted')).toBe(4);
    expect(count(events, 'CaseAccepted')).toBe(4);
    const marks = events
      .filter((e) => e.type === 'ReviewOverdue')
      .map((e) => {
        const d = e.data as { applicationId: string; unit: string; round: number };
        return `${d.applicationId}/${d.round}/${d.unit}`;
      });
    expect(marks).toHaveLength(12);
    expect(new Set(marks).size).toBe(12);
    expect(new Set(marks.map((m) => m.split('/')[0]))).toEqual(new Set(ids));
  });

  it('approvals killed mid-flight: after a restart of two instances every reservation is completed or released, none twice', async () => {
    const usccs = ['91341500MA2010017C', '91341522MA20100253', '91341522MA2010041Q', '91341502MA201005XH'];
    // The first server kills itself (SIGKILL) right after the first reservation it stores: a real process
    // death at exactly the point the repair is for, whatever the timing of the other approvals.
    const first = await startServer(dataDir, { CBEC_PROCESS_TICK_MS: '100' }, { preload: KILL_AFTER_RESERVATION });
    servers.push(first);
    const csv = [
      'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd',
      ...usccs.map((u, i) => `2019,${u},Enterprise ${i},100000.00,0.00,200000.00,900000.00,`),
    ].join('\n');
    const imported = await fetch(first.url('/api/v1/customs-statistics'), {
      method: 'POST',
      headers: { ...bearer(dataDir, 'CUS', 'officer'), 'Content-Type': 'text/csv' },
      body: csv,
    });
    expect(imported.status).toBe(201);
    expect((await call(first, 'POST', '/api/v1/funds/2019/appropriations', bearer(dataDir, 'FIN', 'head'), { amountCny: '1000000.00' })).status).toBe(201);
    const ids: string[] = [];
    for (const uscc of usccs) {
      // A COM clerk submits; another COM officer countersigns (four eyes).
      const submitted = await call(first, 'POST', '/api/v1/applications', bearer(dataDir, 'COM', 'officer', undefined, 'com-clerk'), {
        program: 'P1',
        year: 2019,
        beneficiary: { uscc, kind: 'enterprise' },
        claims: { otherMunicipalTradeAward: false },
      });
      const id = submitted.body.applicationId as string;
      ids.push(id);
      expect((await call(first, 'POST', `/api/v1/applications/${id}/acceptance`, bearer(dataDir, 'FIN', 'officer'), {})).status).toBe(201);
      for (const unit of ['COM', 'CUS', 'PBC']) {
        const opinion = await call(first, 'POST', `/api/v1/applications/${id}/opinions`, bearer(dataDir, unit, 'officer'), {
          verdict: 'approve',
          comment: 'ok',
        });
        expect(opinion.status).toBe(201);
      }
    }
    // Four approvals in flight: the server dies as soon as the first reservation is stored, so the others
    // are cut off wherever they are (not started, or reserved in the same commit).
    const died = new Promise<NodeJS.Signals | null>((resolve) => first.child.once('exit', (_code, signal) => resolve(signal)));
    const inFlight = ids.map((id) =>
      fetch(first.url(`/api/v1/applications/${id}/approval`), { method: 'POST', headers: bearer(dataDir, 'FIN', 'head'), body: '{}' }).catch(() => null),
    );
    const answers = await Promise.all(inFlight);
    // It killed itself (the test sends no signal before this point), and answered no approval.
    expect(await died).toBe('SIGKILL');
    expect(await Promise.all(answers.map(async (a) => a && `${a.status} ${await a.text()}`))).toEqual([null, null, null, null]);
    const atCrash = await allEvents(dataDir);
    // The kill landed between a reservation and its settlement: there is something to repair.
    expect(count(atCrash, 'AwardReserved')).toBeGreaterThanOrEqual(1);
    expect(count(atCrash, 'ReservationConfirmed') + count(atCrash, 'ReservationReleased')).toBe(0);
    expect(count(atCrash, 'FundsCommitted')).toBe(0);

    const env = { CBEC_PROCESS_TICK_MS: '50', CBEC_APPROVAL_GRACE_MS: '0' };
    servers.push(await startServer(dataDir, env), await startServer(dataDir, env));
    const events = await eventually(
      'every reservation confirmed or released',
      () => allEvents(dataDir),
      (evs) => count(evs, 'AwardReserved') === count(evs, 'ReservationConfirmed') + count(evs, 'ReservationReleased'),
    );
    await new Promise((r) => setTimeout(r, 1000));
    const final = await allEvents(dataDir);
    expect(final.length).toBe(events.length); // nothing more happened: no second repair
    for (const id of ids) {
      const approvals = final.filter((e) => e.type === 'AwardApproved' && (e.data as { applicationId: string }).applicationId === id);
      expect(approvals.length).toBeLessThanOrEqual(1);
    }
    expect(count(final, 'ReservationConfirmed')).toBe(count(final, 'AwardApproved'));
    expect(count(final, 'FundsCommitted') - count(final, 'FundCommitmentReleased')).toBe(count(final, 'AwardApproved'));
  });
});
