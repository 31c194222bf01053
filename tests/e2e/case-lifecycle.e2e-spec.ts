import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';

/**
 * A case of every program through its whole life over HTTP: customs import (CUS), appropriation
 * (FIN head), submission (the applicant), acceptance (FIN officer), three opinions (COM, CUS, PBC),
 * approval (FIN head: recomputed from the imported customs figures), disbursement (FIN officer).
 */
const P1_ENTERPRISE = luanUscc(101);
const P2A_ENTERPRISE = luanUscc(102);
const P2B_ENTERPRISE = luanUscc(103);
const P3A_PLATFORM = luanUscc(201);
const P3B_PLATFORM = luanUscc(202);
const PARK = luanUscc(301);
const SERVED = Array.from({ length: 10 }, (_, i) => luanUscc(400 + i));
const RECRUITS = [luanUscc(501), luanUscc(502), luanUscc(503)];

const CUSTOMS = csv(
  `2019,${P1_ENTERPRISE},出口企业甲,60000.00,0.00,80000.00,900000.00,`,
  `2018,${P2A_ENTERPRISE},平台企业乙,0.00,0.00,0.00,1000000.00,`,
  `2019,${P2A_ENTERPRISE},平台企业乙,0.00,0.00,0.00,1100000.00,`,
  `2018,${P2B_ENTERPRISE},跨境企业丙,0.00,50000.00,150000.00,400000.00,`,
  `2019,${P2B_ENTERPRISE},跨境企业丙,0.00,100000.00,249999.99,500000.00,`,
  `2019,${P3A_PLATFORM},综合服务平台丁,0.00,0.00,0.00,0.00,600000.00`,
  ...RECRUITS.map((u, i) => `2019,${u},新招引企业${i},0.00,0.00,${(i + 1) * 1000}.00,${(i + 1) * 1000}.00,`),
);

/** 四（三）: 通关、物流、融资、退税、结汇, each declared with its evidence. */
const SERVICES = ['customs-clearance', 'logistics', 'financing', 'tax-refund', 'fx-settlement'].map((service) => ({ service, evidence: `协议 ${service}` }));

const CASES: Array<{ program: string; body: object; award: string; customsUsed: boolean }> = [
  {
    program: 'P1',
    body: { beneficiary: { uscc: P1_ENTERPRISE, kind: 'enterprise' }, claims: { otherMunicipalTradeAward: false } },
    award: '50000.00',
    customsUsed: true,
  },
  {
    program: 'P2a',
    body: {
      beneficiary: { uscc: P2A_ENTERPRISE, kind: 'enterprise', manufacturing: false },
      claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00', { amountCny: '30000.00', invoiceRef: 'INV-9' }] },
    },
    award: '100000.00', // 70% of 150,000 = 105,000, capped at 100,000 (E4)
    customsUsed: true,
  },
  {
    program: 'P2b',
    body: { beneficiary: { uscc: P2B_ENTERPRISE, kind: 'enterprise' }, claims: {} },
    award: '4000.00', // increment 149,999.99 -> 2 whole steps of 50,000 (E6)
    customsUsed: true,
  },
  {
    program: 'P3a',
    body: {
      beneficiary: { uscc: P3A_PLATFORM, kind: 'platform' },
      claims: { investmentCny: '600000.00', operatingSince: '2018-01-01', servedEnterprises: SERVED, services: SERVICES },
    },
    award: '200000.00', // 40% of 600,000 = 240,000, capped (E9)
    customsUsed: true,
  },
  {
    program: 'P3b',
    body: { beneficiary: { uscc: P3B_PLATFORM, kind: 'platform' }, claims: { recruits: RECRUITS } },
    award: '30000.00',
    customsUsed: true,
  },
  {
    program: 'P4',
    body: {
      beneficiary: { uscc: PARK, kind: 'park' },
      claims: { provincialRecognition: { documentNo: '皖商务〔2019〕88号', date: '2019-06-30' } },
    },
    award: '500000.00',
    customsUsed: false,
  },
];

describe('a case of every program through its life', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
    const imported = await e2e.http().post('/api/v1/customs-statistics').set(e2e.auth('CUS', 'officer')).set('Content-Type', 'text/csv').send(CUSTOMS);
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ imported: 9, revised: 0, unchanged: 0 });
    const funded = await e2e.http().post('/api/v1/funds/2019/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: '5000000.00' });
    expect(funded.status).toBe(201);
  });
  afterAll(() => e2e.close());

  it.each(CASES)('carries a $program case from submission to payment', async ({ program, body, award, customsUsed }) => {
    const uscc = (body as { beneficiary: { uscc: string } }).beneficiary.uscc;
    const applicant = e2e.auth('APPLICANT', 'applicant', uscc);

    const submitted = await e2e
      .http()
      .post('/api/v1/applications')
      .set(applicant)
      .send({ program, year: 2019, ...body });
    expect(submitted.status).toBe(201);
    const id = submitted.body.applicationId as string;
    expect(submitted.body).toMatchObject({ version: 0 });

    const accepted = await e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('FIN', 'officer'));
    expect(accepted.status).toBe(201);
    expect(accepted.body.dueDate).toMatch(/^2020-03-\d\d$/);

    for (const unit of ['COM', 'CUS', 'PBC']) {
      const opinion = await e2e
        .http()
        .post(`/api/v1/applications/${id}/opinions`)
        .set(e2e.auth(unit, 'officer'))
        .send({ verdict: 'approve', comment: `${unit} confirms` });
      expect(opinion.status).toBe(201);
    }

    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ applicationId: id, amountCny: award, approvableCny: award });

    // 公示: published 5 working days (Monday 2020-03-02 to Monday 2020-03-09): paid from the day after.
    const early = await e2e
      .http()
      .post(`/api/v1/applications/${id}/disbursement`)
      .set(e2e.auth('FIN', 'officer'))
      .send({ paymentRef: `PAY-${program}` });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'publicity-not-over' });
    const approvedAt = e2e.clock.now().toISOString();
    e2e.clock.advanceDays(8);

    const paid = await e2e
      .http()
      .post(`/api/v1/applications/${id}/disbursement`)
      .set(e2e.auth('FIN', 'officer'))
      .send({ paymentRef: `PAY-${program}` });
    expect(paid.status).toBe(201);
    expect(paid.body.amountCny).toBe(award);
    e2e.clock.set(approvedAt); // the next program's case starts on the same day

    const events = await e2e.events(`application-${id}`);
    expect(events.map((e) => e.type)).toEqual([
      'ApplicationSubmitted',
      'CaseAccepted',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ReviewOpinionRecorded',
      'ApplicationReadyForDecision',
      'AwardApproved',
      'AwardDisbursed',
    ]);
    // The decision keeps the trace, the policy version and the customs events it used.
    const decision = events.find((e) => e.type === 'AwardApproved')!.data as { trace: unknown[]; policyVersion: string; customsEventIds: string[] };
    expect(decision.policyVersion).toBe('LZB-2019-4');
    expect(decision.trace.length).toBeGreaterThan(3);
    const customsIds = new Set([...(await e2e.events('customs-2018')), ...(await e2e.events('customs-2019'))].map((e) => e.eventId));
    expect(decision.customsEventIds.every((eventId) => customsIds.has(eventId))).toBe(true);
    expect(decision.customsEventIds.length > 0).toBe(customsUsed);

    await e2e.caughtUp(paid.body.position);
    const view = await e2e.http().get(`/api/v1/applications/${id}`).set(applicant);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ status: 'disbursed' });
  });

  it('shows the fund committing and paying exactly the approved awards', async () => {
    const fund = await e2e.events('fund-2019');
    const committed = fund.filter((e) => e.type === 'FundsCommitted').map((e) => (e.data as { amountCny: string }).amountCny);
    const paid = fund.filter((e) => e.type === 'FundPaymentRecorded').map((e) => (e.data as { amountCny: string }).amountCny);
    expect(committed.sort()).toEqual(CASES.map((c) => c.award).sort());
    expect(paid.sort()).toEqual(CASES.map((c) => c.award).sort());
  });
});
