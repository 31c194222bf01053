import { AddressInfo } from 'node:net';
import { NewEvent } from '@cbec/event-store';
import { Money } from '@cbec/domain';
import { ProcessManager } from '@cbec/workflow';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { appropriate, importCsv, p1Submission, p2aSubmission, readyForDecision, Submission } from './support/flows';

const BENEFICIARY = luanUscc(2001);
const P1_ENTERPRISES = Array.from({ length: 10 }, (_, i) => luanUscc(2100 + i));
const APPROPRIATION = '500000.00';

function p2bSubmission(uscc: string): Submission {
  return { program: 'P2b', year: 2019, beneficiary: { uscc, kind: 'enterprise' }, claims: {} };
}

interface Approval {
  id: string;
  uscc: string;
  program: string;
}

describe('approvals under concurrency and crashes', () => {
  let e2e: E2eApp;
  let baseUrl: string;

  beforeAll(async () => {
    e2e = await startApp();
    await e2e.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(e2e.app.getHttpServer().address() as AddressInfo).port}`;
    const imported = await importCsv(
      e2e,
      csv(
        // P2a computes 100,000 (E4); P2b: increment 6,000,000 USD -> 120 steps -> 240,000 (E8).
        `2018,${BENEFICIARY},封顶企业,0.00,500000.00,500000.00,1000000.00,`,
        `2019,${BENEFICIARY},封顶企业,0.00,3500000.00,3500000.00,1100000.00,`,
        ...P1_ENTERPRISES.map((u, i) => `2019,${u},出口企业${i},60000.00,0.00,0.00,60000.00,`),
        `2019,${luanUscc(2201)},崩溃企业,60000.00,0.00,0.00,60000.00,`,
        `2019,${luanUscc(2202)},崩溃企业二,60000.00,0.00,0.00,60000.00,`,
        `2019,${luanUscc(2203)},崩溃企业三,60000.00,0.00,0.00,60000.00,`,
      ),
    );
    expect(imported.status).toBe(201);
    await appropriate(e2e, 2019, APPROPRIATION);
  });
  afterAll(() => e2e.close());

  it('never crosses a cap or the appropriation when many approvals race over HTTP', async () => {
    const approvals: Approval[] = [];
    for (let i = 0; i < 2; i++) approvals.push({ id: await readyForDecision(e2e, p2aSubmission(BENEFICIARY)), uscc: BENEFICIARY, program: 'P2a' });
    for (let i = 0; i < 4; i++) approvals.push({ id: await readyForDecision(e2e, p2bSubmission(BENEFICIARY)), uscc: BENEFICIARY, program: 'P2b' });
    for (const u of P1_ENTERPRISES) approvals.push({ id: await readyForDecision(e2e, p1Submission(u)), uscc: u, program: 'P1' });

    const { Authorization } = e2e.auth('FIN', 'head');
    const answers = await Promise.all(
      approvals.map(async (a) => {
        const res = await fetch(`${baseUrl}/api/v1/applications/${a.id}/approval`, {
          method: 'POST',
          headers: { Authorization, 'Content-Type': 'application/json' },
          body: '{}',
        });
        return { ...a, status: res.status, body: (await res.json()) as { amountCny?: string; code?: string } };
      }),
    );

    // Every answer is an approval or a refusal by the rules (caps, appropriation), never a crash, and
    // never a 409: no request named a version, so losing a race to another approval is not the caller's.
    expect(answers.filter((a) => a.status !== 201 && a.status !== 422).map(({ program, uscc, status, body }) => ({ program, uscc, status, body }))).toEqual([]);
    const approved = answers.filter((a) => a.status === 201);

    // 四（二）: one P2a and one P2b per enterprise-year, together at most 200,000.
    const forBeneficiary = approved.filter((a) => a.uscc === BENEFICIARY);
    expect(forBeneficiary.filter((a) => a.program === 'P2a').length).toBeLessThanOrEqual(1);
    expect(forBeneficiary.filter((a) => a.program === 'P2b').length).toBeLessThanOrEqual(1);
    const article = forBeneficiary.reduce((sum, a) => sum.add(Money.cny(a.body.amountCny!)), Money.zero('CNY'));
    expect(article.lte(Money.cny('200000.00'))).toBe(true);

    // 五（二）: the fund is never over-committed, at any point of its stream.
    let appropriation = Money.zero('CNY');
    let committed = Money.zero('CNY');
    for (const e of await e2e.events('fund-2019')) {
      const amount = Money.cny((e.data as { amountCny: string }).amountCny);
      if (e.type === 'FundBudgetAllocated') appropriation = appropriation.add(amount);
      if (e.type === 'FundsCommitted') committed = committed.add(amount);
      if (e.type === 'FundCommitmentReleased') committed = committed.sub(amount);
      expect(committed.lte(appropriation)).toBe(true);
    }
    const approvedTotal = approved.reduce((sum, a) => sum.add(Money.cny(a.body.amountCny!)), Money.zero('CNY'));
    expect(committed.equals(approvedTotal)).toBe(true);
    // The appropriation was the binding constraint: demand (200,000 + 10 x 50,000) exceeded it.
    expect(approvedTotal.gt(Money.cny('400000.00'))).toBe(true);

    // Every reservation is settled: confirmed for an approval, released otherwise; none left hanging.
    for (const uscc of new Set(approvals.map((a) => a.uscc))) {
      const ledger = await e2e.events(`beneficiary-${uscc}`);
      const reserved = ledger.filter((e) => e.type === 'AwardReserved').map((e) => (e.data as { reservationId: string }).reservationId);
      const settled = ledger
        .filter((e) => e.type === 'ReservationConfirmed' || e.type === 'ReservationReleased')
        .map((e) => (e.data as { reservationId: string }).reservationId);
      expect(settled.sort()).toEqual([...reserved].sort());
      const confirmed = ledger.filter((e) => e.type === 'ReservationConfirmed').length;
      expect(confirmed).toBe(approved.filter((a) => a.uscc === uscc).length);
    }
  }, 60_000);

  describe('a crash after the reservation', () => {
    beforeAll(() => appropriate(e2e, 2019, '1000000.00'));

    /** Makes the next append to `streamId` fail as a crash would, once. */
    function crashOnceOn(streamId: string): void {
      const store = e2e.store as { append: (s: string, events: NewEvent[], o: never) => Promise<unknown> };
      const append = store.append.bind(store);
      let crashed = false;
      store.append = (s, events, o) => {
        if (!crashed && s === streamId) {
          crashed = true;
          store.append = append;
          return Promise.reject(new Error(`simulated crash before appending to ${s}`));
        }
        return append(s, events, o);
      };
    }

    /** The process notices the reservation nobody settled once its grace period is over, and repairs it. */
    async function repair(uscc: string): Promise<void> {
      const manager = e2e.app.get(ProcessManager, { strict: false });
      const reserved = (await e2e.events(`beneficiary-${uscc}`)).find((e) => e.type === 'AwardReserved')!;
      await manager.caughtUp(reserved.globalPosition);
      e2e.clock.set(new Date(e2e.clock.now().getTime() + 5 * 60_000).toISOString());
      await manager.tick();
    }

    it('completes the approval when the fund step failed', async () => {
      const uscc = luanUscc(2201);
      const id = await readyForDecision(e2e, p1Submission(uscc));
      crashOnceOn('fund-2019');
      const res = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(res.status).toBe(500);
      const dangling = await e2e.events(`beneficiary-${uscc}`);
      expect(dangling.map((e) => e.type)).toEqual(['AwardReserved']);

      await repair(uscc);

      expect((await e2e.events(`beneficiary-${uscc}`)).map((e) => e.type)).toEqual(['AwardReserved', 'ReservationConfirmed']);
      const caseEvents = await e2e.events(`application-${id}`);
      expect(caseEvents[caseEvents.length - 1]).toMatchObject({ type: 'AwardApproved', data: { amountCny: '50000.00' } });
    });

    it('completes the approval when the case step failed after the fund committed', async () => {
      const uscc = luanUscc(2202);
      const id = await readyForDecision(e2e, p1Submission(uscc));
      crashOnceOn(`application-${id}`);
      const res = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(res.status).toBe(500);

      await repair(uscc);

      const commits = (await e2e.events('fund-2019')).filter((e) => e.type === 'FundsCommitted' && (e.data as { applicationId: string }).applicationId === id);
      expect(commits).toHaveLength(1);
      expect((await e2e.events(`beneficiary-${uscc}`)).map((e) => e.type)).toEqual(['AwardReserved', 'ReservationConfirmed']);
      expect((await e2e.events(`application-${id}`)).some((e) => e.type === 'AwardApproved')).toBe(true);
    });

    it('releases what was reserved and committed when the case was decided otherwise meanwhile', async () => {
      const uscc = luanUscc(2203);
      const id = await readyForDecision(e2e, p1Submission(uscc));
      crashOnceOn(`application-${id}`);
      expect((await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({})).status).toBe(500);
      const rejected = await e2e
        .http()
        .post(`/api/v1/applications/${id}/rejection`)
        .set(e2e.auth('FIN', 'officer'))
        .send({ reason: 'withdrawn by the applicant' });
      expect(rejected.status).toBe(201);

      await repair(uscc);

      expect((await e2e.events(`beneficiary-${uscc}`)).map((e) => e.type)).toEqual(['AwardReserved', 'ReservationReleased']);
      const fund = (await e2e.events('fund-2019')).filter((e) => (e.data as { applicationId?: string }).applicationId === id);
      expect(fund.map((e) => e.type)).toEqual(['FundsCommitted', 'FundCommitmentReleased']);
    });
  });
});
