import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { appropriate, importCsv, p2aSubmission, readyForDecision } from './support/flows';

/**
 * docs/limits.md, "Amounts": every amount is bounded where it enters. At a limit, the command is taken and
 * every read answers it exactly; one fen past it, the command is a 422 `amount-above-limit` naming the
 * field and the limit, and nothing is stored.
 */
const AT_LIMIT = luanUscc(7001);
const OTHER = luanUscc(7002);

describe('amount limits over HTTP', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
    // Customs figures at their limit (US$1 trillion): a growth of 11.1%, enough for P2a.
    const imported = await importCsv(
      e2e,
      csv(`2018,${AT_LIMIT},企业甲,0.00,0.00,0.00,900000000000.00,`, `2019,${AT_LIMIT},企业甲,0.00,0.00,0.00,1000000000000.00,`),
    );
    expect(imported.status).toBe(201);
  });
  afterAll(() => e2e.close());

  const expectNothingStored = async (head: number): Promise<void> => expect(await e2e.store.headPosition()).toBe(head);

  it('refuses a P2a claim of "99999999999999999999.99" yuan with a 422 naming the fee and the limit; nothing is stored', async () => {
    const head = await e2e.store.headPosition();
    const res = await e2e
      .http()
      .post('/api/v1/applications')
      .set(e2e.auth('APPLICANT', 'applicant', OTHER))
      .send(p2aSubmission(OTHER, [{ amountCny: '99999999999999999999.99', invoiceRef: 'INV-1' }]));
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toEqual({
      type: 'urn:cbec:problem:amount-above-limit',
      title: 'Unprocessable Content',
      status: 422,
      code: 'amount-above-limit',
      detail: 'claims.platformFeesCny[0].amountCny: 99999999999999999999.99 CNY is above the limit of 10000000000.00 CNY for one amount of a claim',
      field: 'claims.platformFeesCny[0].amountCny',
      amount: '99999999999999999999.99',
      limit: '10000000000.00',
      currency: 'CNY',
      limitName: 'claim-amount',
      errors: [
        {
          field: 'claims.platformFeesCny[0].amountCny',
          amount: '99999999999999999999.99',
          limit: '10000000000.00',
          currency: 'CNY',
          limitName: 'claim-amount',
          reason: '99999999999999999999.99 CNY is above the limit of 10000000000.00 CNY for one amount of a claim',
        },
      ],
    });
    await expectNothingStored(head);
  });

  it('takes a P2a claim and customs figures at their limits through approval, and reads them back exactly', async () => {
    await appropriate(e2e, 2019, '1000000.00');
    const id = await readyForDecision(e2e, p2aSubmission(AT_LIMIT, [{ amountCny: '10000000000.00', invoiceRef: 'INV-MAX' }]));
    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approved.status).toBe(201);
    // 70% of ¥10 billion, capped at ¥100,000 (四（二）).
    expect(approved.body).toMatchObject({ computedCny: '7000000000.00', amountCny: '100000.00', capApplied: 'P2a-annual-cap' });
    const position = approved.body.position as number;

    const totals = await e2e.http().get(`/api/v1/beneficiaries/${AT_LIMIT}/totals?year=2019&minPosition=${position}`).set(e2e.auth('FIN', 'head'));
    expect(totals.status).toBe(200);
    expect(totals.body.awards).toEqual([expect.objectContaining({ applicationId: id, amountCny: '100000.00', status: 'confirmed' })]);
    const fund = await e2e.http().get(`/api/v1/funds/2019?minPosition=${position}`).set(e2e.auth('FIN', 'head'));
    expect(fund.body).toMatchObject({ appropriationCny: '1000000.00', committedCny: '100000.00', availableCny: '900000.00' });
    const health = await e2e.http().get('/health');
    expect(health.status).toBe(200);
  });

  it("refuses an appropriation that would take a year's fund past ¥100 billion; the fund reads back exactly at the limit", async () => {
    await appropriate(e2e, 2020, '60000000000.00');
    const head = await e2e.store.headPosition();
    const over = await e2e.http().post('/api/v1/funds/2020/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: '40000000000.01' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({
      code: 'amount-above-limit',
      field: 'amountCny',
      amount: '100000000000.01',
      limit: '100000000000.00',
      limitName: 'fund-year',
    });
    expect(over.body.detail).toMatch(/with the 60000000000\.00 CNY already appropriated, the appropriations of 2020 would come to 100000000000\.01 CNY/);
    await expectNothingStored(head);

    const huge = await e2e.http().post('/api/v1/funds/2021/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: '99999999999999999999999999.99' });
    expect([huge.status, huge.body.code, huge.body.field]).toEqual([422, 'amount-above-limit', 'amountCny']);

    const atLimit = await e2e.http().post('/api/v1/funds/2020/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: '40000000000.00' });
    expect(atLimit.status).toBe(201);
    const fund = await e2e.http().get(`/api/v1/funds/2020?minPosition=${atLimit.body.position}`).set(e2e.auth('FIN', 'head'));
    expect(fund.status).toBe(200);
    expect(fund.body).toMatchObject({ appropriationCny: '100000000000.00', availableCny: '100000000000.00', allocations: 2 });
  });

  it('refuses a municipal foreign-trade award above its limit', async () => {
    const res = await e2e
      .http()
      .post(`/api/v1/beneficiaries/${OTHER}/external-awards`)
      .set(e2e.auth('COM', 'officer'))
      .send({ year: 2019, ref: 'LSW-MAX', amountCny: '10000000000.01' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'amount-above-limit', field: 'amountCny', limit: '10000000000.00', limitName: 'external-award' });
  });

  it('refuses a customs file with a figure above the limit, naming the line, the field and the limit; nothing is imported', async () => {
    const head = await e2e.store.headPosition();
    const res = await importCsv(e2e, csv(`2019,${OTHER},企业乙,0.00,0.00,0.00,1000000000000.01,`));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'invalid-customs-rows',
      errors: [
        {
          line: 2,
          field: 'totalExportUsd',
          reason: '1000000000000.01 USD is above the limit of 1000000000000.00 USD for one customs figure of one enterprise and year',
        },
      ],
    });
    await expectNothingStored(head);
  });

  it('states each limit in the OpenAPI document on the money strings', async () => {
    const docs = await e2e.http().get('/api/docs/openapi.json');
    const schemas = docs.body.components.schemas;
    expect(schemas.AllocateFundBudgetRequest.properties.amountCny).toMatchObject({
      type: 'string',
      pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$',
      maxLength: '100000000000.00'.length,
      description: expect.stringContaining('at most 100000000000.00 CNY'),
    });
    expect(schemas.ClaimsRequest.properties.investmentCny.description).toContain('at most 10000000000.00 CNY');
    expect(schemas.ClaimsRequest.properties.platformFeesCny.description).toContain('the fees together at most 10000000000.00 CNY');
    expect(schemas.StatedCustomsRequest.properties.totalExportUsd.description).toContain('at most 1000000000000.00 USD');
    expect(schemas.RecordExternalAwardRequest.properties.amountCny.description).toContain('at most 10000000000.00 CNY');
  });
});
