import * as ExcelJS from 'exceljs';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { appropriate, importCsv, p1Submission, p2aSubmission, readyForDecision } from './support/flows';

/**
 * What follows the decision, over HTTP (docs/after-decision.md): 公示 before payment, objections (异议)
 * upheld or withdrawn, revocation for fraud (骗取) and recovery (追回) with repayments. The clock starts on
 * Monday 2020-03-02; 5 working days of publicity end on Monday 2020-03-09.
 */
describe('after the decision (e2e over HTTP)', () => {
  let e2e: E2eApp;
  const START = '2020-03-02T02:00:00.000Z';
  const usccs = Array.from({ length: 6 }, (_, i) => luanUscc(7100 + i));

  beforeAll(async () => {
    e2e = await startApp({ now: START });
    const rows = usccs.map((u, i) => `2019,${u},企业${i},100000.00,0.00,0.00,900000.00,`);
    expect((await importCsv(e2e, csv(...rows))).status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());
  beforeEach(() => e2e.clock.set(START));

  const post = (path: string, who: { Authorization: string }, body: unknown = {}, ifMatch?: number) => {
    const req = e2e.http().post(`/api/v1/applications/${path}`).set(who);
    return (ifMatch === undefined ? req : req.set('If-Match', String(ifMatch))).send(body as object);
  };
  const caseOf = async (id: string, position: number) =>
    (await e2e.http().get(`/api/v1/applications/${id}?minPosition=${position}`).set(e2e.auth('FIN', 'head'))).body as Record<string, any>;
  const fund = async (position: number) =>
    (await e2e.http().get(`/api/v1/funds/2019?minPosition=${position}`).set(e2e.auth('FIN', 'head'))).body as Record<string, any>;
  const approved = async (uscc: string, name?: string): Promise<{ id: string; position: number; version: number }> => {
    const submission = p1Submission(uscc);
    const id = await readyForDecision(e2e, name ? ({ ...submission, beneficiary: { ...submission.beneficiary, name } } as typeof submission) : submission);
    const res = await post(`${id}/approval`, e2e.auth('FIN', 'head'));
    expect(res.status).toBe(201);
    return { id, position: res.body.position, version: res.body.version };
  };
  const pay = (id: string, ref: string) => post(`${id}/disbursement`, e2e.auth('FIN', 'officer'), { paymentRef: ref });

  it('公示: an approved award is published 5 working days and paid only after them; the case and the inbox say until when', async () => {
    const { id, position } = await approved(usccs[0], '=HYPERLINK("http://x")六安某公司');
    const view = await caseOf(id, position);
    expect(view.award.publicity).toEqual({ from: '2020-03-02', until: '2020-03-09', workingDays: 5 });
    const inbox = await e2e.http().get(`/api/v1/inbox?minPosition=${position}`).set(e2e.auth('FIN', 'officer'));
    expect(JSON.stringify(inbox.body)).toContain('公示 until 2020-03-09');

    // The list of the period, for publication: JSON, CSV (a name that looks like a formula stays text) and xlsx.
    const list = (format: string) =>
      e2e.http().get(`/api/v1/publicity-list?date=2020-03-05&format=${format}&minPosition=${position}`).set(e2e.auth('COM', 'officer')).buffer(true);
    const json = await list('json');
    expect(json.status).toBe(200);
    expect(json.body.awards).toEqual([
      expect.objectContaining({ applicationId: id, uscc: usccs[0], program: 'P1', amountCny: '50000.00', clause: '四（一）', until: '2020-03-09' }),
    ]);
    const csvText = (await list('csv')).text;
    expect(csvText.split('\r\n')[0]).toBe('enterprise,uscc,program,programName,year,amountCny,clause,from,until,applicationId');
    expect(csvText).toContain(`"'=HYPERLINK(""http://x"")六安某公司",${usccs[0]},P1,`);
    const xlsx = await list('xlsx').parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as never);
    const row = workbook.worksheets[0].getRow(2);
    expect([row.getCell(1).value, row.getCell(2).value, row.getCell(6).value, row.getCell(7).value]).toEqual([
      '=HYPERLINK("http://x")六安某公司',
      usccs[0],
      50000,
      '四（一）',
    ]);
    expect(
      (
        await e2e
          .http()
          .get('/api/v1/publicity-list?date=2020-03-05')
          .set(e2e.auth('APPLICANT', 'applicant', usccs[0]))
      ).status,
    ).toBe(403);

    e2e.clock.set('2020-03-09T09:00:00.000Z');
    const early = await pay(id, 'PAY-PUB-1');
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'publicity-not-over' });
    expect((await e2e.events('fund-2019')).filter((e) => e.type === 'FundPaymentRecorded')).toHaveLength(0);

    e2e.clock.set('2020-03-10T01:00:00.000Z');
    expect((await pay(id, 'PAY-PUB-1')).status).toBe(201);
  });

  it('异议: COM records an objection with its source; the lead unit head upholds it and payment is allowed at once', async () => {
    const { id, position } = await approved(usccs[1]);
    // An application that named no beneficiary is listed with the customs statistics' name, as the case view shows it.
    const list = await e2e.http().get(`/api/v1/publicity-list?date=2020-03-02&minPosition=${position}`).set(e2e.auth('COM', 'officer'));
    expect(list.body.awards).toContainEqual(expect.objectContaining({ applicationId: id, enterprise: '企业1' }));
    expect((await post(`${id}/publicity-objections`, e2e.auth('FIN', 'officer'), { source: 'hotline', detail: 'x' })).status).toBe(403);
    const objection = await post(`${id}/publicity-objections`, e2e.auth('COM', 'officer'), { source: '12345 hotline', detail: 'the exports were re-invoiced' });
    expect(objection.status).toBe(201);
    const objected = await caseOf(id, objection.body.position);
    expect(objected).toMatchObject({ status: 'publicity-objected', awaiting: [{ unit: 'FIN', step: 'objection decision' }] });
    expect(objected.sequels[0]).toMatchObject({ type: 'PublicityObjectionRecorded', source: '12345 hotline', recordedBy: 'com-officer' });
    expect((await pay(id, 'PAY-OBJ-1')).body).toMatchObject({ code: 'invalid-transition' });

    expect((await post(`${id}/objection-decision`, e2e.auth('FIN', 'officer'), { decision: 'uphold', reason: 'r' })).status).toBe(403);
    const upheld = await post(
      `${id}/objection-decision`,
      e2e.auth('FIN', 'head'),
      { decision: 'uphold', reason: 'invoices checked with customs' },
      objection.body.version,
    );
    expect(upheld.status).toBe(201);
    expect((await caseOf(id, upheld.body.position)).status).toBe('approved');
    expect((await pay(id, 'PAY-OBJ-1')).status).toBe(201); // 2020-03-02, inside the publicity: upheld, so paid
  });

  it('异议 withdrawn: the award is released from the fund and the caps, and recorded', async () => {
    const { id } = await approved(usccs[2]);
    const objection = await post(`${id}/publicity-objections`, e2e.auth('COM', 'head'), { source: 'letter', detail: 'double claim' });
    const withdrawn = await post(
      `${id}/objection-decision`,
      e2e.auth('FIN', 'head'),
      { decision: 'withdraw', reason: 'the objection is founded' },
      objection.body.version,
    );
    expect(withdrawn.status).toBe(201);
    expect((await caseOf(id, withdrawn.body.position)).status).toBe('withdrawn');
    const released = (await e2e.events('fund-2019')).filter(
      (e) => e.type === 'FundCommitmentReleased' && (e.data as { applicationId: string }).applicationId === id,
    );
    expect(released).toHaveLength(1);
    const ledger = (await e2e.events(`beneficiary-${usccs[2]}`)).map((e) => e.type);
    expect(ledger.slice(-1)).toEqual(['AwardReleased']);
    const totals = await e2e
      .http()
      .get(`/api/v1/beneficiaries/${usccs[2]}/totals?year=2019&minPosition=${withdrawn.body.position}`)
      .set(e2e.auth('FIN', 'head'));
    expect(totals.status).toBe(200);
    expect(JSON.stringify(totals.body)).not.toContain('"approvedCny":"50000.00"');
    // After the publicity, no objection is taken.
    const late = await approved(usccs[3]);
    e2e.clock.set('2020-03-10T01:00:00.000Z');
    const refused = await post(`${late.id}/publicity-objections`, e2e.auth('COM', 'officer'), { source: 's', detail: 'd' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'not-in-publicity' });
  });

  it('骗取 before payment: the FIN head revokes with reason and evidence; the fund and the caps are released', async () => {
    const { id } = await approved(usccs[4]);
    expect((await post(`${id}/revocation`, e2e.auth('COM', 'head'), { reason: 'fraud', evidenceRef: 'EV-1' })).status).toBe(403);
    const revoked = await post(`${id}/revocation`, e2e.auth('FIN', 'head'), { reason: 'exports declared twice', evidenceRef: 'LA-PSB-2020-0417' });
    expect(revoked.status).toBe(201);
    const view = await caseOf(id, revoked.body.position);
    expect(view).toMatchObject({ status: 'revoked', recoveries: [], awaiting: [] });
    expect(view.sequels[0]).toMatchObject({
      type: 'AwardRevoked',
      reason: 'exports declared twice',
      evidenceRef: 'LA-PSB-2020-0417',
      revokedBy: 'fin-head',
      fromStatus: 'approved',
    });
    expect((await e2e.events(`beneficiary-${usccs[4]}`)).map((e) => e.type).slice(-1)).toEqual(['AwardReleased']);
  });

  it('骗取 after payment: a recovery order for the whole amount; repayments one by one until settled, the fund following the money', async () => {
    const { id } = await approved(usccs[5]);
    e2e.clock.set('2020-03-10T01:00:00.000Z');
    const paid = await pay(id, 'PAY-FRAUD-1');
    expect(paid.status).toBe(201);
    const before = await fund(paid.body.position);

    const stale = await post(`${id}/revocation`, e2e.auth('FIN', 'head'), { reason: 'fraud', evidenceRef: 'EV-9' }, paid.body.version - 1);
    expect(stale.status).toBe(409);
    const revoked = await post(`${id}/revocation`, e2e.auth('FIN', 'head'), { reason: 'fraud', evidenceRef: 'EV-9' }, paid.body.version);
    expect(revoked.status).toBe(201);
    const view = await caseOf(id, revoked.body.position);
    expect(view.status).toBe('revoked');
    expect(view.recoveries).toEqual([
      expect.objectContaining({ cause: 'revocation', amountCny: '50000.00', outstandingCny: '50000.00', settled: false, dueDate: '2020-04-22' }),
    ]);
    expect(view.awaiting).toEqual([{ unit: 'FIN', step: 'repayment', dueDate: '2020-04-22' }]);
    const recoveryId = view.recoveries[0].recoveryId as string;

    const repay = (ref: string, amountCny: string) => post(`${id}/repayments`, e2e.auth('FIN', 'officer'), { recoveryId, repaymentRef: ref, amountCny });
    expect((await post(`${id}/repayments`, e2e.auth('FIN', 'head'), { recoveryId, repaymentRef: 'R-0', amountCny: '1.00' })).status).toBe(403);
    const first = await repay('BOC-RET-1', '20000.00');
    expect(first.status).toBe(201);
    expect((await repay('BOC-RET-1', '20000.00')).status).toBe(201); // the same repayment again: one repayment
    const afterFirst = await fund(first.body.position);
    expect(Number(afterFirst.committedCny)).toBe(Number(before.committedCny) - 20000);
    expect(Number(afterFirst.disbursedCny)).toBe(Number(before.disbursedCny) - 20000);
    expect(afterFirst.recoveredCny).toBe('20000.00');

    const over = await repay('BOC-RET-2', '30000.01');
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'repayment-above-outstanding' });
    const last = await repay('BOC-RET-2', '30000.00');
    if (last.status !== 201) throw new Error(JSON.stringify(last.body));
    const settled = await caseOf(id, last.body.position);
    expect(settled.recoveries[0]).toMatchObject({ repaidCny: '50000.00', outstandingCny: '0.00', settled: true });
    expect(settled.recoveries[0].repayments.map((r: { repaymentRef: string }) => r.repaymentRef)).toEqual(['BOC-RET-1', 'BOC-RET-2']);
    expect(settled.awaiting).toEqual([]);

    // audit explain: the whole life of the award, from the computation to the last fen returned.
    const explained = await e2e.http().get(`/api/v1/audit/applications/${id}/explanation`).set(e2e.auth('AUDIT', 'auditor')).set('Accept-Language', 'en');
    expect(explained.status).toBe(200);
    const award = explained.body.awards[0];
    expect(award.publicity).toEqual({ from: '2020-03-02', until: '2020-03-09', workingDays: 5 });
    expect(award.life.map((l: { type: string }) => l.type)).toEqual([
      'AwardDisbursed',
      'AwardRevoked',
      'RecoveryOrdered',
      'RepaymentRecorded',
      'RepaymentRecorded',
      'RecoverySettled',
    ]);
    const text = (award.rendered as string[]).join('\n');
    expect(text).toContain('Publicity (公示): 2020-03-02 – 2020-03-09 (5 working days)');
    expect(text).toMatch(/award revoked \(fraud\) \(fin-head\): .*evidenceRef EV-9; fromStatus disbursed; reason fraud/);
    expect(text).toMatch(/recovery ordered \(fin-head\): amountCny ¥50,000.00; cause revocation; dueDate 2020-04-22/);
    expect(text).toMatch(/repayment recorded \(fin-officer\): .*amountCny ¥20,000.00; outstandingCny ¥30,000.00/);

    expect(
      (await e2e.events(`beneficiary-${usccs[5]}`)).filter((e) => e.type === 'AwardRepaid').map((e) => (e.data as { remainingCny: string }).remainingCny),
    ).toEqual(['30000.00', '0.00']);
  });
});

describe('复核: a customs revision reaches awards already decided (e2e over HTTP)', () => {
  let e2e: E2eApp;
  const lowered = luanUscc(7201);
  const same = luanUscc(7202);

  beforeAll(async () => {
    e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    expect(
      (await importCsv(e2e, csv(`2019,${lowered},企业甲,100000.00,0.00,0.00,900000.00,`, `2019,${same},企业乙,100000.00,0.00,0.00,900000.00,`))).status,
    ).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());

  const paidAward = async (uscc: string): Promise<string> => {
    const id = await readyForDecision(e2e, p1Submission(uscc));
    expect((await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({})).status).toBe(201);
    return id;
  };

  it('flags the paid awards whose figures the import revised, with both computations; the lead unit rechecks: lower → recovery of the difference, unchanged → recorded with who', async () => {
    const low = await paidAward(lowered);
    const kept = await paidAward(same);
    e2e.clock.set('2020-03-10T01:00:00.000Z');
    for (const [id, ref] of [
      [low, 'PAY-R-1'],
      [kept, 'PAY-R-2'],
    ]) {
      expect((await e2e.http().post(`/api/v1/applications/${id}/disbursement`).set(e2e.auth('FIN', 'officer')).send({ paymentRef: ref })).status).toBe(201);
    }
    // Customs revises: 企业甲's 9610 exports fall below P1's threshold; 企业乙's total exports change (P1 reads its record again).
    const revised = await importCsv(e2e, csv(`2019,${lowered},企业甲,1.00,0.00,0.00,900000.00,`, `2019,${same},企业乙,100000.00,0.00,0.00,950000.00,`));
    expect(revised.status).toBe(201);
    expect(revised.body.revised).toBe(2);

    // The case as the read side shows it once it holds `version`: polled, because `?minPosition=` with a
    // recheck's position answered (in this spec, under load) before the read models held it; not yet explained.
    const view = async (id: string, version: number): Promise<Record<string, any>> => {
      for (let i = 0; ; i++) {
        const body = (await e2e.http().get(`/api/v1/applications/${id}`).set(e2e.auth('FIN', 'head'))).body as Record<string, any>;
        if (body.version >= version || i >= 100) return body;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const versionOf = async (id: string) => (await e2e.events(`application-${id}`)).length - 1;
    const flagged = await view(low, await versionOf(low));
    expect(flagged.awaiting).toEqual([{ unit: 'FIN', step: 'recheck', dueDate: null }]);
    const flag = flagged.sequels.find((q: { type: string }) => q.type === 'RecheckRequired');
    expect(flag).toMatchObject({ approvedCny: '50000.00', decided: { approvableCny: '50000.00' }, revised: { approvableCny: '0.00' } });
    expect(flag.decided.customsEventIds).not.toEqual(flag.revised.customsEventIds);

    expect((await e2e.http().post(`/api/v1/applications/${low}/recheck`).set(e2e.auth('FIN', 'officer')).send({})).status).toBe(403);
    const lower = await e2e.http().post(`/api/v1/applications/${low}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(lower.status).toBe(201);
    const after = await view(low, lower.body.version);
    expect(after.sequels.find((q: { type: string }) => q.type === 'RecheckRecorded')).toMatchObject({
      outcome: 'lower',
      differenceCny: '50000.00',
      checkedBy: 'fin-head',
    });
    expect(after.recoveries).toEqual([expect.objectContaining({ cause: 'revision', amountCny: '50000.00', settled: false })]);

    const unchanged = await e2e.http().post(`/api/v1/applications/${kept}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(unchanged.status).toBe(201);
    expect((await view(kept, unchanged.body.version)).sequels.find((q: { type: string }) => q.type === 'RecheckRecorded')).toMatchObject({
      outcome: 'unchanged',
      checkedBy: 'fin-head',
    });
    const again = await e2e.http().post(`/api/v1/applications/${kept}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(again.body).toMatchObject({ code: 'no-recheck-pending' });
  });

  it('a revision of a P3b recruit’s figures flags the platform’s award, which its recruits’ figures computed (四（三）)', async () => {
    const platform = luanUscc(7208);
    const recruits = [luanUscc(7209), luanUscc(7210)];
    const first = recruits.map((u, i) => `2019,${u},新招引企业${i},0.00,0.00,100.00,100.00,`);
    // 2018 imported (no record of the recruits in it: their zero breakthrough is in 2019).
    const platformRows = [`2018,${platform},综合服务平台,0.00,0.00,0.00,0.00,400000.00`, `2019,${platform},综合服务平台,0.00,0.00,0.00,0.00,500000.00`];
    expect((await importCsv(e2e, csv(...platformRows, ...first))).status).toBe(201);
    const id = await readyForDecision(e2e, { program: 'P3b', year: 2019, beneficiary: { uscc: platform, kind: 'platform' }, claims: { recruits } });
    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approved.body).toMatchObject({ amountCny: '20000.00' });
    // Customs revises one recruit: no cross-border e-commerce exports in 2019 after all (no zero breakthrough).
    const revised = await importCsv(e2e, csv(`2019,${recruits[1]},新招引企业1,0.00,0.00,0.00,0.00,`));
    expect(revised.body.revised).toBe(1);
    const events = await e2e.events(`application-${id}`);
    const flag = events.find((e) => e.type === 'RecheckRequired')?.data as Record<string, any>;
    expect(flag).toMatchObject({ approvedCny: '20000.00', decided: { approvableCny: '20000.00' }, revised: { approvableCny: '10000.00' } });
    const lower = await e2e.http().post(`/api/v1/applications/${id}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(lower.status).toBe(201);
    // Not yet paid: lowered in place to what the recruit that still qualifies gives.
    const lowered = (await e2e.events(`application-${id}`)).find((e) => e.type === 'AwardLowered');
    expect(lowered?.data).toMatchObject({ fromCny: '20000.00', toCny: '10000.00' });
  });

  // P2b: ¥2,000 per whole US$50,000 of cross-border e-commerce increment over 2018.
  const higher = luanUscc(7203);
  const lowered2 = luanUscc(7204);
  const p2b = (uscc: string) => ({ program: 'P2b', year: 2019, beneficiary: { uscc, kind: 'enterprise' }, claims: {} });
  const caseView = async (id: string, version: number): Promise<Record<string, any>> => {
    for (let i = 0; ; i++) {
      const body = (await e2e.http().get(`/api/v1/applications/${id}`).set(e2e.auth('FIN', 'head'))).body as Record<string, any>;
      if (body.version >= version || i >= 100) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const caseVersion = async (id: string) => (await e2e.events(`application-${id}`)).length - 1;
  const approvedP2b = async (uscc: string): Promise<string> => {
    const id = await readyForDecision(e2e, p2b(uscc));
    expect((await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({})).status).toBe(201);
    return id;
  };
  const fundEvents = async (type: string, id: string) =>
    (await e2e.events('fund-2019'))
      .filter((e) => e.type === type && (e.data as { applicationId?: string }).applicationId === id)
      .map((e) => e.data as Record<string, any>);

  it('补发: a higher award opens a supplementary award of the difference, countersigned and decided as any approval, then paid from its own commitment', async () => {
    expect(
      (await importCsv(e2e, csv(`2018,${higher},企业丙,0.00,0.00,100000.00,100000.00,`, `2019,${higher},企业丙,0.00,0.00,200000.00,200000.00,`))).status,
    ).toBe(201);
    const id = await approvedP2b(higher); // increment US$100,000: ¥4,000
    expect((await importCsv(e2e, csv(`2019,${higher},企业丙,0.00,0.00,300000.00,300000.00,`))).body.revised).toBe(1); // ¥8,000 now

    const recheck = await e2e.http().post(`/api/v1/applications/${id}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(recheck.status).toBe(201);
    const opened = await caseView(id, recheck.body.version);
    expect(opened.sequels.map((q: { type: string }) => q.type).slice(-2)).toEqual(['RecheckRecorded', 'SupplementaryAwardOpened']);
    expect(opened.supplements).toEqual([expect.objectContaining({ differenceCny: '4000.00', countersignSkipped: false, approved: null })]);
    expect(opened.awaiting.map((a: { unit: string; step: string }) => `${a.unit} ${a.step}`)).toEqual(
      expect.arrayContaining(['COM supplement opinion', 'CUS supplement opinion', 'PBC supplement opinion']),
    );

    const decide = () => e2e.http().post(`/api/v1/applications/${id}/supplement/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect((await decide()).body).toMatchObject({ code: 'supplement-countersign-pending' });
    for (const unit of ['COM', 'CUS', 'PBC']) {
      const res = await e2e
        .http()
        .post(`/api/v1/applications/${id}/supplement/opinions`)
        .set(e2e.auth(unit, 'officer'))
        .send({ verdict: 'approve', comment: 'ok' });
      expect(res.status).toBe(201);
    }
    expect((await e2e.http().post(`/api/v1/applications/${id}/supplement/approval`).set(e2e.auth('FIN', 'officer')).send({})).status).toBe(403);
    const decided = await decide();
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({ amountCny: '4000.00' });
    // The difference only: a commitment of its own on the fund, the ledger's award raised to the new total.
    expect((await fundEvents('FundsCommitted', id)).map((d) => d.amountCny)).toEqual(['4000.00', '4000.00']);
    const adjusted = (await e2e.events(`beneficiary-${higher}`)).filter((e) => e.type === 'AwardAdjusted').map((e) => e.data as Record<string, any>);
    expect(adjusted).toEqual([expect.objectContaining({ fromCny: '4000.00', toCny: '8000.00' })]);

    const paid = await e2e.http().post(`/api/v1/applications/${id}/supplement/disbursement`).set(e2e.auth('FIN', 'officer')).send({ paymentRef: 'PAY-SUP-1' });
    expect(paid.status).toBe(201);
    expect((await fundEvents('FundPaymentRecorded', id)).map((d) => d.amountCny)).toEqual(['4000.00']);
    const after = await caseView(id, paid.body.version);
    expect(after.supplements[0]).toMatchObject({ approved: { amountCny: '4000.00', totalCny: '8000.00' }, paid: { paymentRef: 'PAY-SUP-1' } });
    // audit explain: the recheck and the supplementary award in the award's life.
    const explained = await e2e.http().get(`/api/v1/audit/applications/${id}/explanation`).set(e2e.auth('AUDIT', 'auditor')).set('Accept-Language', 'en');
    expect(explained.body.awards[0].life.map((l: { type: string }) => l.type)).toEqual([
      'RecheckRequired',
      'RecheckRecorded',
      'SupplementaryAwardOpened',
      'SupplementOpinionRecorded',
      'SupplementOpinionRecorded',
      'SupplementOpinionRecorded',
      'SupplementaryAwardApproved',
      'SupplementDisbursed',
    ]);
    const text = (explained.body.awards[0].rendered as string[]).join('\n');
    expect(text).toMatch(/recheck required after a customs revision \(cus-officer\): approvedCny ¥4,000.00; .*revisedCny ¥8,000.00/);
    expect(text).toMatch(/supplementary award approved \(fin-head\): .*amountCny ¥4,000.00/);
  });

  it('补发 objected by a cooperating unit: the head approves it over the objection, or refuses it (closed, nothing reserved), with a reason', async () => {
    const over = luanUscc(7206);
    const refused = luanUscc(7207);
    const rows = [over, refused].flatMap((u) => [`2018,${u},企业己,0.00,0.00,100000.00,100000.00,`, `2019,${u},企业己,0.00,0.00,200000.00,200000.00,`]);
    expect((await importCsv(e2e, csv(...rows))).status).toBe(201);
    const ids = [await approvedP2b(over), await approvedP2b(refused)]; // ¥4,000 each
    const revision = [over, refused].map((u) => `2019,${u},企业己,0.00,0.00,300000.00,300000.00,`);
    expect((await importCsv(e2e, csv(...revision))).body.revised).toBe(2); // ¥8,000 each now
    for (const id of ids) {
      expect((await e2e.http().post(`/api/v1/applications/${id}/recheck`).set(e2e.auth('FIN', 'head')).send({})).status).toBe(201);
      await e2e.http().post(`/api/v1/applications/${id}/supplement/opinions`).set(e2e.auth('COM', 'officer')).send({ verdict: 'approve', comment: 'ok' });
      const reject = await e2e
        .http()
        .post(`/api/v1/applications/${id}/supplement/opinions`)
        .set(e2e.auth('CUS', 'officer'))
        .send({ verdict: 'reject', comment: 'the revision is under appeal' });
      expect(reject.status).toBe(201);
      const objected = await caseView(id, reject.body.version);
      expect(objected.supplements[0]).toMatchObject({ objectedBy: 'CUS', objectionDecision: null });
      expect(objected.awaiting).toEqual(expect.arrayContaining([expect.objectContaining({ unit: 'FIN', step: 'supplement decision' })]));
      const inbox = await e2e.http().get(`/api/v1/inbox?minPosition=${reject.body.position}`).set(e2e.auth('FIN', 'head'));
      expect(JSON.stringify(inbox.body)).toContain('补发 objected by CUS');
    }
    const decideOn = (id: string, body: object, role = 'head') =>
      e2e.http().post(`/api/v1/applications/${id}/supplement/objection-decision`).set(e2e.auth('FIN', role)).send(body);
    expect((await decideOn(ids[0], { decision: 'approve', reason: '' })).status).toBe(400);
    expect((await decideOn(ids[0], { decision: 'approve', reason: 'ok' }, 'officer')).status).toBe(403);
    expect((await e2e.http().post(`/api/v1/applications/${ids[0]}/supplement/approval`).set(e2e.auth('FIN', 'head')).send({})).body).toMatchObject({
      code: 'supplement-objected',
    });

    const approved = await decideOn(ids[0], { decision: 'approve', reason: 'customs confirmed the revision in writing' });
    expect(approved.status).toBe(201);
    expect(approved.body).toMatchObject({ amountCny: '4000.00' });
    expect((await fundEvents('FundsCommitted', ids[0])).map((d) => d.amountCny)).toEqual(['4000.00', '4000.00']);
    const afterApproval = await caseView(ids[0], approved.body.version);
    expect(afterApproval.supplements[0]).toMatchObject({
      objectionDecision: { decision: 'approve', reason: 'customs confirmed the revision in writing', decidedBy: 'fin-head' },
      approved: { amountCny: '4000.00', totalCny: '8000.00' },
    });
    expect(afterApproval.awaiting).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'supplement disbursement' })]));

    const refusal = await decideOn(ids[1], { decision: 'refuse', reason: 'the revision is under appeal' });
    expect(refusal.status).toBe(201);
    const closed = await caseView(ids[1], refusal.body.version);
    expect(closed.supplements[0]).toMatchObject({ objectionDecision: { decision: 'refuse', decidedBy: 'fin-head' }, approved: null });
    expect(closed.awaiting).toEqual([expect.objectContaining({ step: 'disbursement' })]); // the award's own payment only
    // Nothing was reserved for it: the fund holds the award's one commitment, the ledger was never raised.
    expect((await fundEvents('FundsCommitted', ids[1])).map((d) => d.amountCny)).toEqual(['4000.00']);
    expect((await e2e.events(`beneficiary-${refused}`)).filter((e) => e.type === 'AwardAdjusted')).toEqual([]);
    const inbox = await e2e.http().get(`/api/v1/inbox?minPosition=${refusal.body.position}`).set(e2e.auth('FIN', 'head'));
    // Both objections decided: no 'decide' item of them is left in the lead unit's inbox.
    expect(JSON.stringify(inbox.body)).not.toContain('补发 objected by');
    const again = await decideOn(ids[1], { decision: 'approve', reason: 'second thoughts' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'no-supplement-pending' });
  });

  it('caps recomputed across the enterprise’s awards of the year: P2b lowered by a revision leaves room under 四（二）’s cap, so the P2a award it had capped is found higher', async () => {
    const both = luanUscc(7205);
    expect(
      (await importCsv(e2e, csv(`2018,${both},企业戊,0.00,0.00,1000000.00,1000000.00,`, `2019,${both},企业戊,0.00,0.00,4000000.00,4000000.00,`))).status,
    ).toBe(201);
    const p2bId = await approvedP2b(both); // increment US$3,000,000: ¥120,000
    const p2aId = await readyForDecision(e2e, p2aSubmission(both)); // 70% of ¥150,000 = ¥105,000, P2a cap ¥100,000
    const p2a = await e2e.http().post(`/api/v1/applications/${p2aId}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(p2a.body.amountCny).toBe('80000.00'); // what 四（二）'s ¥200,000 left after P2b
    // The cross-border e-commerce exports are revised down; the total exports (P2a's growth) stay.
    expect((await importCsv(e2e, csv(`2019,${both},企业戊,0.00,0.00,3000000.00,4000000.00,`))).body.revised).toBe(1);
    const flagOf = async (id: string) =>
      (await caseView(id, await caseVersion(id))).sequels.find((q: { type: string }) => q.type === 'RecheckRequired') as Record<string, any>;
    expect(await flagOf(p2bId)).toMatchObject({ approvedCny: '120000.00', revised: { approvableCny: '80000.00' } });
    const p2aFlag = await flagOf(p2aId);
    // Both computations side by side: the decision's (capped by P2b at ¥120,000), the recomputed one (P2b at ¥80,000).
    expect(p2aFlag).toMatchObject({ approvedCny: '80000.00', decided: { approvableCny: '80000.00' }, revised: { approvableCny: '100000.00' } });
    const room = p2aFlag.revised.trace.find((t: { code: string; params: { cap: string } }) => t.code === 'cap-room' && t.params.cap.startsWith('article'));
    expect(room.params).toMatchObject({ already: 'CNY 80000.00', room: 'CNY 120000.00' });
    const recheck = await e2e.http().post(`/api/v1/applications/${p2aId}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect((await caseView(p2aId, recheck.body.version)).supplements).toEqual([expect.objectContaining({ differenceCny: '20000.00' })]);
  });

  it('lower before payment: the award is lowered in place (fund commitment and ledger follow), no recovery; payment is of the lowered amount', async () => {
    expect(
      (await importCsv(e2e, csv(`2018,${lowered2},企业丁,0.00,0.00,100000.00,100000.00,`, `2019,${lowered2},企业丁,0.00,0.00,300000.00,300000.00,`))).status,
    ).toBe(201);
    const id = await approvedP2b(lowered2); // increment US$200,000: ¥8,000
    expect((await importCsv(e2e, csv(`2019,${lowered2},企业丁,0.00,0.00,200000.00,200000.00,`))).body.revised).toBe(1); // ¥4,000 now
    await caseView(id, await caseVersion(id));
    const recheck = await e2e.http().post(`/api/v1/applications/${id}/recheck`).set(e2e.auth('FIN', 'head')).send({});
    expect(recheck.status).toBe(201);
    const view = await caseView(id, recheck.body.version);
    expect(view.sequels.find((q: { type: string }) => q.type === 'AwardLowered')).toMatchObject({
      fromCny: '8000.00',
      toCny: '4000.00',
      loweredBy: 'fin-head',
    });
    expect(view.recoveries).toEqual([]);
    expect(view.award.amountCny).toBe('4000.00');
    expect((await fundEvents('FundCommitmentReduced', id)).map((d) => [d.amountCny, d.remainingCny])).toEqual([['4000.00', '4000.00']]);
    expect((await e2e.events(`beneficiary-${lowered2}`)).filter((e) => e.type === 'AwardAdjusted').map((e) => (e.data as { toCny: string }).toCny)).toEqual([
      '4000.00',
    ]);
    e2e.clock.set('2020-04-01T01:00:00.000Z');
    const paid = await e2e.http().post(`/api/v1/applications/${id}/disbursement`).set(e2e.auth('FIN', 'officer')).send({ paymentRef: 'PAY-LOW-1' });
    expect(paid.status).toBe(201);
    expect(paid.body.amountCny).toBe('4000.00');
  });
});
