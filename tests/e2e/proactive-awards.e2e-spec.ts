import { usccCheckCharacter } from '@cbec/domain';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { allApprove, appropriate, importCsv, p1Submission, submit } from './support/flows';

/**
 * 免申即享 over HTTP (docs/after-decision.md): after a customs import, COM sees the enterprises whose statistics
 * alone prove P1, P2b (or P2a's growth, pending the fees) and that have no case; opens chosen ones in one action;
 * the enterprise confirms its declarations; the case then goes through countersign and decision as any other.
 */
describe('免申即享: awards the customs statistics already prove (e2e over HTTP)', () => {
  let e2e: E2eApp;
  const exporter = luanUscc(7301); // P1: 9610 exports US$60,000
  const grower = luanUscc(7302); // P2b: increment US$150,000 (3 steps); P2a: total exports +20%
  const small = luanUscc(7303); // below every threshold
  const applied = luanUscc(7304); // P1 met, but it applied already

  beforeAll(async () => {
    e2e = await startApp({ now: '2020-03-02T02:00:00.000Z' });
    const imported = await importCsv(
      e2e,
      csv(
        `2018,${grower},成长企业,0.00,0.00,100000.00,1000000.00,`,
        `2018,${small},小企业,0.00,0.00,100000.00,100000.00,`,
        `2019,${exporter},出口企业,60000.00,0.00,0.00,60000.00,`,
        `2019,${grower},成长企业,0.00,0.00,250000.00,1200000.00,`,
        `2019,${small},小企业,1000.00,0.00,100000.00,100000.00,`,
        `2019,${applied},已申报企业,70000.00,0.00,0.00,70000.00,`,
      ),
    );
    expect(imported.status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
    await submit(e2e, p1Submission(applied));
  });
  afterAll(() => e2e.close());

  const list = (query: string, who = e2e.auth('COM', 'officer')) => e2e.http().get(`/api/v1/proactive-awards?${query}`).set(who);

  it('lists each candidate with its computation; an enterprise with a case for the program, or below the thresholds, is not one; paged', async () => {
    const res = await list('year=2019');
    expect(res.status).toBe(200);
    const found = (res.body.candidates as Array<Record<string, any>>).map((c) => `${c.uscc} ${c.program} ${c.amountCny}`);
    expect(found).toEqual([`${exporter} P1 50000.00`, `${grower} P2b 6000.00`, `${grower} P2a null`]);
    const p1 = res.body.candidates[0];
    expect(p1).toMatchObject({ name: '出口企业', declarationsPending: ['otherMunicipalTradeAward'], assumed: { otherMunicipalTradeAward: false } });
    expect(p1.trace.map((t: { code: string }) => t.code)).toContain('p1-threshold');
    expect(p1.customsEventIds).toHaveLength(1);
    expect(res.body.candidates[2]).toMatchObject({ declarationsPending: ['promotesOnThirdPartyPlatform', 'platformFeesCny'] });

    const page = await list('year=2019&limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page.body.candidates.map((c: { program: string }) => c.program)).toEqual(['P2b']);
    expect((await list('year=2019&program=P2a')).body.total).toBe(1);
    expect((await list('year=abc')).status).toBe(400);
    expect((await list('year=2019', e2e.auth('CUS', 'officer'))).status).toBe(403);
    expect((await list('year=2019', e2e.auth('APPLICANT', 'applicant', exporter))).status).toBe(403);
  });

  it('COM opens the chosen ones in one action (marked 免申); the enterprise confirms; then countersign and decision as any other case', async () => {
    const choose = (who: { Authorization: string }) =>
      e2e
        .http()
        .post('/api/v1/proactive-awards/open')
        .set(who)
        .send({
          year: 2019,
          candidates: [
            { uscc: exporter, program: 'P1' },
            { uscc: small, program: 'P1' },
          ],
        });
    expect((await choose(e2e.auth('FIN', 'head'))).status).toBe(403);
    const opened = await choose(e2e.auth('COM', 'head'));
    expect(opened.status).toBe(201);
    expect(opened.body.opened).toEqual([expect.objectContaining({ uscc: exporter, program: 'P1' })]);
    expect(opened.body.refused).toEqual([expect.objectContaining({ uscc: small, program: 'P1', code: 'not-a-candidate' })]);
    const id = opened.body.opened[0].applicationId as string;
    // The same action again is the same case.
    expect((await choose(e2e.auth('COM', 'head'))).body.opened[0].applicationId).toBe(id);
    expect((await e2e.events(`application-${id}`)).map((e) => e.type)).toEqual(['ApplicationSubmitted', 'ProactiveCaseOpened']);

    const view = await e2e.http().get(`/api/v1/applications/${id}?minPosition=${opened.body.position}`).set(e2e.auth('FIN', 'officer'));
    expect(view.body).toMatchObject({
      status: 'submitted',
      awaiting: [{ unit: 'APPLICANT', step: 'declarations', dueDate: null }],
      proactive: { openedBy: 'com-head', declarationsPending: ['otherMunicipalTradeAward'], confirmedBy: null, computation: { amountCny: '50000.00' } },
    });
    const inbox = await e2e
      .http()
      .get(`/api/v1/inbox?minPosition=${opened.body.position}`)
      .set(e2e.auth('APPLICANT', 'applicant', exporter));
    expect(JSON.stringify(inbox.body)).toContain('免申即享');
    expect((await list('year=2019')).body.candidates.map((c: { uscc: string; program: string }) => `${c.uscc} ${c.program}`)).not.toContain(`${exporter} P1`);

    const accept = () => e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('FIN', 'officer'));
    const early = await accept();
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ code: 'declarations-pending' });

    const declare = (who: { Authorization: string }, declarations: unknown) =>
      e2e.http().post(`/api/v1/applications/${id}/declarations`).set(who).send({ declarations });
    expect((await declare(e2e.auth('APPLICANT', 'applicant', grower), { otherMunicipalTradeAward: false })).status).toBe(403);
    expect((await declare(e2e.auth('COM', 'officer'), { otherMunicipalTradeAward: false })).status).toBe(403);
    const missing = await declare(e2e.auth('APPLICANT', 'applicant', exporter), {});
    expect(missing.status).toBe(400);
    const confirmed = await declare(e2e.auth('APPLICANT', 'applicant', exporter), { otherMunicipalTradeAward: false });
    expect(confirmed.status).toBe(201);
    expect((await declare(e2e.auth('APPLICANT', 'applicant', exporter), { otherMunicipalTradeAward: false })).body).toMatchObject({
      code: 'no-declarations-pending',
    });

    // Nothing is approved without a person: acceptance, countersign, the head's decision.
    expect((await accept()).status).toBe(201);
    await allApprove(e2e, id);
    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approved.status).toBe(201);
    expect(approved.body.amountCny).toBe('50000.00');
    const after = await e2e.http().get(`/api/v1/applications/${id}?minPosition=${approved.body.position}`).set(e2e.auth('FIN', 'head'));
    expect(after.body).toMatchObject({ status: 'approved', claims: { otherMunicipalTradeAward: false }, proactive: { confirmedBy: 'applicant-applicant' } });
  });

  it('an enterprise whose USCC names another city is a candidate once the beneficiary register places it in Lu’an', async () => {
    const movedIn = ((first17: string) => first17 + usccCheckCharacter(first17))('91340104MA2000731'); // 合肥 by its USCC
    const imported = await importCsv(e2e, csv(`2019,${movedIn},迁入企业,80000.00,0.00,0.00,80000.00,`));
    expect(imported.status).toBe(201);
    const p1Of = async () =>
      ((await list('year=2019&program=P1')).body.candidates as Array<{ uscc: string; trace: Array<{ code: string; params: Record<string, unknown> }> }>).find(
        (c) => c.uscc === movedIn,
      );
    expect(await p1Of()).toBeUndefined();
    const registered = await e2e
      .http()
      .post('/api/v1/beneficiary-register')
      .set(e2e.auth('COM', 'officer'))
      .set('Content-Type', 'text/csv; charset=utf-8')
      .send(`uscc,division,date,documentNo,source\n${movedIn},341502,2019-03-01,六市监 2019-7,六安市市场监督管理局\n`);
    expect(registered.status).toBe(201);
    const found = await p1Of();
    expect(found?.trace.find((t) => t.code === 'registered-division')?.params).toMatchObject({ division: '341502', local: true });
  });
});
