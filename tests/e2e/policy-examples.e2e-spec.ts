import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { appropriate, importCsv, readyForDecision, Submission } from './support/flows';

/**
 * docs/policy.md's worked examples through the HTTP path (import, submission, countersign, approval by the
 * FIN head), not only through the pure engine: the approval recomputes from the imported customs
 * figures and the ledger, and a refusal by the rules is a 422 that leaves the ledgers untouched.
 */
const E1_EXACT = luanUscc(7001);
const E2_SHORT = luanUscc(7002);
const E4_GROWER = luanUscc(7004);
const E6_TRADER = luanUscc(7006);
const E8_BOTH = luanUscc(7008);
const E9_PLATFORM = luanUscc(7009);
const E12_PLATFORM = luanUscc(7012);
const SERVED = Array.from({ length: 10 }, (_, i) => luanUscc(7100 + i));
const RECRUITS = Array.from({ length: 25 }, (_, i) => luanUscc(7200 + i));

const CUSTOMS_2018 = [
  `2018,${E4_GROWER},增长企业,0.00,0.00,0.00,1000000.00,`,
  `2018,${E6_TRADER},增量企业,0.00,50000.00,150000.00,150000.00,`,
  `2018,${E8_BOTH},封顶企业,0.00,0.00,1000000.00,1000000.00,`,
];
const CUSTOMS_2019 = [
  `2019,${E1_EXACT},刚好五万,50000.00,0.00,50000.00,50000.00,`,
  `2019,${E2_SHORT},差一分,49999.99,0.00,49999.99,49999.99,`,
  `2019,${E4_GROWER},增长企业,0.00,0.00,0.00,1100000.00,`,
  `2019,${E6_TRADER},增量企业,0.00,100000.00,249999.99,249999.99,`,
  // increment US$6,000,000.00 = 120 steps -> P2b computes ¥240,000.00 (E8)
  `2019,${E8_BOTH},封顶企业,0.00,0.00,7000000.00,1100000.00,`,
  `2019,${E9_PLATFORM},综合服务平台,0.00,0.00,0.00,0.00,500000.00`,
  ...RECRUITS.map((u, i) => `2019,${u},新招引企业${i},0.00,0.00,100.00,100.00,`),
];

function application(program: string, uscc: string, kind: string, claims: Record<string, unknown>, year = 2019): Submission {
  return { program, year, beneficiary: { uscc, kind, ...(kind === 'enterprise' ? { manufacturing: false } : {}) }, claims };
}

const P2A_CLAIMS = { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00', '30000.00'] };

/**
 * The approval's `computedCny` is what the clause computed before the caps, as in `evaluate` (and in the
 * decision's trace); `approvableCny` is the most the head may approve (after caps: less needs a reason).
 */
function beforeCaps(trace: Array<{ code: string; params: Record<string, string> }>): string | undefined {
  return trace.find((t) => t.code === 'computed-before-caps')?.params.amount;
}

describe('the worked examples of docs/policy.md over HTTP', () => {
  let e2e: E2eApp;
  const approve = (id: string, body: object = {}) => e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send(body);
  const view = async (id: string) => {
    await e2e.caughtUp(await e2e.store.headPosition());
    return (await e2e.http().get(`/api/v1/applications/${id}`).set(e2e.auth('AUDIT', 'auditor'))).body;
  };

  beforeAll(async () => {
    e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    expect((await importCsv(e2e, csv(...CUSTOMS_2018, ...CUSTOMS_2019))).status).toBe(201);
    await appropriate(e2e, 2019, '5000000.00');
  });
  afterAll(() => e2e.close());

  it('E1: awards ¥50,000.00 for 9610 exports of exactly US$50,000.00', async () => {
    const id = await readyForDecision(e2e, application('P1', E1_EXACT, 'enterprise', { otherMunicipalTradeAward: false }));
    const res = await approve(id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '50000.00', computedCny: '50000.00', capApplied: null });
  });

  it('E2: refuses P1 for US$49,999.99 with below-threshold, reserving nothing', async () => {
    const id = await readyForDecision(e2e, application('P1', E2_SHORT, 'enterprise', { otherMunicipalTradeAward: false }));
    const res = await approve(id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'not-eligible', reasons: ['below-threshold'] });
    expect(await e2e.events(`beneficiary-${E2_SHORT}`)).toEqual([]);
    expect((await view(id)).status).toBe('ready-for-decision');
  });

  it('E4: caps 70% of ¥150,000.00 (¥105,000.00) at ¥100,000.00 for growth of exactly 10%, and shows the cap on the case', async () => {
    const id = await readyForDecision(e2e, application('P2a', E4_GROWER, 'enterprise', P2A_CLAIMS));
    const res = await approve(id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '100000.00', computedCny: '105000.00', approvableCny: '100000.00', capApplied: 'P2a-annual-cap' });
    const award = (await view(id)).award;
    expect(award).toMatchObject({
      amountCny: '100000.00',
      computedCny: '105000.00',
      approvableCny: '100000.00',
      capApplied: 'P2a-annual-cap',
      policyVersion: 'LZB-2019-4',
    });
    expect(beforeCaps(award.trace)).toBe('CNY 105000.00');
  });

  it('E6: awards ¥4,000.00 for an increment of US$149,999.99 (two whole steps)', async () => {
    const id = await readyForDecision(e2e, application('P2b', E6_TRADER, 'enterprise', {}));
    const res = await approve(id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '4000.00', computedCny: '4000.00' });
  });

  it('E8: cuts P2b (¥240,000.00 computed) to the ¥100,000.00 left under the article cap after P2a ¥100,000.00', async () => {
    const p2a = await readyForDecision(e2e, application('P2a', E8_BOTH, 'enterprise', P2A_CLAIMS));
    expect((await approve(p2a)).body.amountCny).toBe('100000.00');
    const p2b = await readyForDecision(e2e, application('P2b', E8_BOTH, 'enterprise', {}));
    const res = await approve(p2b);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '100000.00', computedCny: '240000.00', approvableCny: '100000.00', capApplied: 'article-四（二）-annual-cap' });
    expect(beforeCaps((await view(p2b)).award.trace)).toBe('CNY 240000.00');
    const totals = await e2e.http().get(`/api/v1/beneficiaries/${E8_BOTH}/totals?year=2019`).set(e2e.auth('FIN', 'officer'));
    expect(totals.status).toBe(200);
    const article = (totals.body.articles as Array<{ article: string; countedCny: string; remainingCny: string }>).find((a) => a.article === '四（二）');
    expect(article).toMatchObject({ countedCny: '200000.00', remainingCny: '0.00' });
  });

  it('E9: caps 40% of a ¥600,000.00 investment at ¥200,000.00 (program named by its long name)', async () => {
    // 通关、物流、融资、退税、结汇: each service declared with its evidence (p3a.requiredServices), by code or Chinese name.
    const services = ['customs-clearance', 'logistics', '融资', '退税', 'fx-settlement'].map((service, i) => ({
      service,
      evidence: `服务协议 2019-0${i + 1}`,
    }));
    const claims = { investmentCny: '600000.00', operatingSince: '2018-01-01', servedEnterprises: SERVED, services };
    const id = await readyForDecision(e2e, application('platform-investment-subsidy', E9_PLATFORM, 'platform', claims));
    expect((await view(id)).program).toBe('P3a');
    const res = await approve(id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '200000.00', capApplied: 'P3a-annual-cap' });
    expect(beforeCaps((await view(id)).award.trace)).toBe('CNY 240000.00');
  });

  it('E12: caps 25 qualifying recruits (¥250,000.00) at ¥200,000.00', async () => {
    const id = await readyForDecision(e2e, application('P3b', E12_PLATFORM, 'platform', { recruits: RECRUITS }));
    const res = await approve(id);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountCny: '200000.00', capApplied: 'P3b-annual-cap' });
    expect(beforeCaps((await view(id)).award.trace)).toBe('CNY 250000.00');
  });

  it('E3: refuses P1 in a later year to an enterprise already awarded P1, as a 422 naming already-awarded', async () => {
    e2e.clock.set('2021-03-01T02:00:00.000Z');
    try {
      expect((await importCsv(e2e, csv(`2020,${E1_EXACT},刚好五万,80000.00,0.00,80000.00,80000.00,`))).status).toBe(201);
      await appropriate(e2e, 2020, '1000000.00');
      const id = await readyForDecision(e2e, application('P1', E1_EXACT, 'enterprise', { otherMunicipalTradeAward: false }, 2020));
      const ledgerBefore = (await e2e.events(`beneficiary-${E1_EXACT}`)).length;
      const res = await approve(id);
      expect(res.status).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'not-eligible', reasons: ['already-awarded'] });
      expect((await e2e.events(`beneficiary-${E1_EXACT}`)).length).toBe(ledgerBefore);
      expect((await e2e.events('fund-2020')).map((e) => e.type)).toEqual(['FundBudgetAllocated']);
    } finally {
      e2e.clock.set('2020-03-02T02:00:00.000Z');
    }
  });
});

describe('E14 over HTTP: an approval that would over-commit the fund', () => {
  const PARK_A = luanUscc(7301);
  const PARK_B = luanUscc(7302);
  const EXPORTER = luanUscc(7303);
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
    expect((await importCsv(e2e, csv(`2019,${EXPORTER},出口企业,60000.00,0.00,60000.00,60000.00,`))).status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());

  const park = (uscc: string, documentNo: string) => application('P4', uscc, 'park', { provincialRecognition: { documentNo, date: '2019-06-30' } });
  const approve = (id: string, body: object = {}) => e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send(body);

  it('given ¥1,000,000.00 appropriated and ¥980,000.00 committed, refuses a ¥50,000.00 approval with 422 and changes nothing', async () => {
    expect((await approve(await readyForDecision(e2e, park(PARK_A, '皖商务〔2019〕1号')))).status).toBe(201);
    const lower = await approve(await readyForDecision(e2e, park(PARK_B, '皖商务〔2019〕2号')), {
      amountCny: '480000.00',
      reasonIfLower: 'partly funded by the county',
    });
    expect(lower.status).toBe(201);
    await e2e.caughtUp(lower.body.position);
    const fundBefore = (await e2e.http().get('/api/v1/funds/2019').set(e2e.auth('FIN', 'head'))).body;
    expect(fundBefore).toMatchObject({ appropriationCny: '1000000.00', committedCny: '980000.00', availableCny: '20000.00' });
    const fundEventsBefore = (await e2e.events('fund-2019')).length;

    const id = await readyForDecision(e2e, application('P1', EXPORTER, 'enterprise', { otherMunicipalTradeAward: false }));
    const res = await approve(id);

    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, code: 'fund-over-committed', type: 'urn:cbec:problem:fund-over-committed' });
    expect(res.body.detail).toMatch(/2019/);
    expect((await e2e.events('fund-2019')).length).toBe(fundEventsBefore);
    await e2e.caughtUp(await e2e.store.headPosition());
    expect((await e2e.http().get('/api/v1/funds/2019').set(e2e.auth('FIN', 'head'))).body).toEqual(fundBefore);
    const totals = await e2e.http().get(`/api/v1/beneficiaries/${EXPORTER}/totals?year=2019`).set(e2e.auth('AUDIT', 'auditor'));
    expect(totals.body.totalCountedCny).toBe('0.00');
    expect((totals.body.programs as Array<{ program: string; reservedCny: string }>).find((p) => p.program === 'P1')).toMatchObject({
      reservedCny: '0.00',
      approvedCny: '0.00',
    });
    const ledger = (await e2e.events(`beneficiary-${EXPORTER}`)).map((e) => e.type);
    expect(ledger.filter((t) => t === 'AwardReserved').length).toBe(ledger.filter((t) => t === 'ReservationReleased').length);
    const theCase = await e2e.http().get(`/api/v1/applications/${id}`).set(e2e.auth('FIN', 'head'));
    expect(theCase.body).toMatchObject({ status: 'ready-for-decision', award: null });
  });
});
