import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateStore } from '@cbec/platform';
import { ProcessManager } from '@cbec/workflow';
import { E2eApp, startApp } from './support/e2e-app';

/**
 * Approval repair over HTTP: an approval cut off right after its reservation on the beneficiary ledger
 * (a crash injected where the fund commitment would follow) leaves AwardReserved dangling; the approval
 * process finds it after the grace period and the workflow's resumeApproval completes or releases it.
 */

const USCC = '91341500MA2010017C';
const CSV = [
  'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd',
  '2019,91341500MA2010017C,六安市经开区鑫茂汽配实业有限公司,246891.86,0.00,721706.17,2376719.90,',
].join('\n');

async function readyForDecision(e: E2eApp): Promise<string> {
  await e.http().post('/api/v1/customs-statistics').set(e.auth('CUS', 'officer')).set('Content-Type', 'text/csv').send(CSV).expect(201);
  await e.http().post('/api/v1/funds/2019/appropriations').set(e.auth('FIN', 'head')).send({ amountCny: '1000000.00' }).expect(201);
  const submitted = await e
    .http()
    .post('/api/v1/applications')
    .set(e.auth('COM', 'officer'))
    .send({ program: 'P1', year: 2019, beneficiary: { uscc: USCC, kind: 'enterprise' }, claims: { otherMunicipalTradeAward: false } })
    .expect(201);
  const id = submitted.body.applicationId as string;
  await e.http().post(`/api/v1/applications/${id}/acceptance`).set(e.auth('FIN', 'officer')).send({}).expect(201);
  for (const unit of ['COM', 'CUS', 'PBC']) {
    await e.http().post(`/api/v1/applications/${id}/opinions`).set(e.auth(unit, 'officer')).send({ verdict: 'approve', comment: 'ok' }).expect(201);
  }
  return id;
}

/** The next CommitFunds throws, as if the server died between the reservation and the fund commitment. */
function crashAfterNextReservation(e: E2eApp): void {
  const aggregates = e.app.get(AggregateStore);
  const original = aggregates.execute.bind(aggregates);
  let armed = true;
  jest.spyOn(aggregates, 'execute').mockImplementation((async (...args: Parameters<AggregateStore['execute']>) => {
    if (armed && (args[2] as { type: string }).type === 'CommitFunds') {
      armed = false;
      throw new Error('simulated crash after the reservation');
    }
    return original(...args);
  }) as AggregateStore['execute']);
}

async function countTypes(e: E2eApp, streamId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const ev of await e.events(streamId)) counts[ev.type] = (counts[ev.type] ?? 0) + 1;
  return counts;
}

describe('approval repair after a crash between the reservation and the approval', () => {
  let e: E2eApp;
  afterEach(async () => {
    jest.restoreAllMocks();
    await e?.close();
  });

  it('given a dangling reservation, when the grace period is over, the process completes the approval exactly once', async () => {
    e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    const pm = e.app.get(ProcessManager);
    const id = await readyForDecision(e);
    crashAfterNextReservation(e);
    const cut = await e.http().post(`/api/v1/applications/${id}/approval`).set(e.auth('FIN', 'head')).send({});
    expect(cut.status).toBe(500);
    expect(await countTypes(e, `beneficiary-${USCC}`)).toEqual({ AwardReserved: 1 });
    const reserved = (await e.events(`beneficiary-${USCC}`))[0];
    await pm.caughtUp(reserved.globalPosition);

    e.clock.set('2020-03-02T02:00:30.000Z');
    expect((await pm.tick()).dispatched).toEqual([]);

    e.clock.set('2020-03-02T02:01:01.000Z');
    const report = await pm.tick();
    expect(report.dispatched).toEqual([expect.objectContaining({ kind: 'ResumeApproval', outcome: 'done', detail: 'completed' })]);
    expect(await countTypes(e, `beneficiary-${USCC}`)).toEqual({ AwardReserved: 1, ReservationConfirmed: 1 });
    const caseEvents = await e.events(`application-${id}`);
    expect(caseEvents.filter((ev) => ev.type === 'AwardApproved').map((ev) => (ev.data as { amountCny: string }).amountCny)).toEqual(['50000.00']);

    const confirmed = (await e.events(`beneficiary-${USCC}`))[1];
    await pm.caughtUp(confirmed.globalPosition);
    e.clock.set('2020-03-09T02:00:00.000Z');
    expect((await pm.tick()).dispatched).toEqual([]);
    expect((await countTypes(e, `application-${id}`)).AwardApproved).toBe(1);
    expect(await countTypes(e, 'fund-2019')).toMatchObject({ FundsCommitted: 1 });
  });

  it('given a dangling reservation whose case was rejected meanwhile, the process releases it', async () => {
    e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    const pm = e.app.get(ProcessManager);
    const id = await readyForDecision(e);
    crashAfterNextReservation(e);
    await e.http().post(`/api/v1/applications/${id}/approval`).set(e.auth('FIN', 'head')).send({}).expect(500);
    await e.http().post(`/api/v1/applications/${id}/rejection`).set(e.auth('FIN', 'head')).send({ reason: 'withdrawn by the applicant' }).expect(201);

    e.clock.set('2020-03-02T02:05:00.000Z');
    await pm.caughtUp((await e.events(`beneficiary-${USCC}`))[0].globalPosition);
    const report = await pm.tick();
    expect(report.dispatched).toEqual([expect.objectContaining({ kind: 'ResumeApproval', outcome: 'done', detail: 'released' })]);
    expect(await countTypes(e, `beneficiary-${USCC}`)).toEqual({ AwardReserved: 1, ReservationReleased: 1 });
    expect((await countTypes(e, `application-${id}`)).AwardApproved).toBeUndefined();
  });

  it('two instances on one data dir (one process.db) repair the same reservation: one approval, one confirmation', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cbec-e2e-two-'));
    e = await startApp({ now: '2020-03-02T02:00:00.000Z', dataDir });
    const other = await startApp({ now: '2020-03-02T02:00:00.000Z', dataDir });
    try {
      const id = await readyForDecision(e);
      crashAfterNextReservation(e);
      await e.http().post(`/api/v1/applications/${id}/approval`).set(e.auth('FIN', 'head')).send({}).expect(500);
      const position = (await e.events(`beneficiary-${USCC}`))[0].globalPosition;
      const [pmA, pmB] = [e.app.get(ProcessManager), other.app.get(ProcessManager)];
      await Promise.all([pmA.caughtUp(position), pmB.caughtUp(position)]);
      e.clock.set('2020-03-02T02:02:00.000Z');
      other.clock.set('2020-03-02T02:02:00.000Z');
      await Promise.all([pmA.tick(), pmB.tick(), pmA.tick(), pmB.tick()]);
      await Promise.all([pmA.tick(), pmB.tick()]);
      expect(await countTypes(e, `beneficiary-${USCC}`)).toEqual({ AwardReserved: 1, ReservationConfirmed: 1 });
      expect((await countTypes(e, `application-${id}`)).AwardApproved).toBe(1);
      expect(await countTypes(e, 'fund-2019')).toMatchObject({ FundsCommitted: 1 });
    } finally {
      await other.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
