import { E2eApp, startApp } from '../../e2e/support/e2e-app';
import { appropriate, importCsv, p2aSubmission, readyForDecision } from '../../e2e/support/flows';
import { uscc } from '../../../libs/projections/src/testing/scenario';

/**
 * The preview on a case before its decision must be what the approval then computes: the whole service
 * (its ApproveAward over HTTP) is the judge of the read side's reading of the same inputs.
 */
let e2e: E2eApp;
beforeAll(async () => {
  e2e = await startApp();
});
afterAll(async () => e2e.close());

const A = uscc(501);
const B = uscc(502);
const HEADER = 'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd';

it('the award preview before approval equals the award the approval computes, trace and customs events included (P2a capped as in E4, then P2b)', async () => {
  const csv = [
    HEADER,
    `2018,${A},Preview Trading,0.00,100000.00,100000.00,1000000.00,`,
    `2019,${A},Preview Trading,0.00,100000.00,349999.99,1100000.00,`,
    `2018,${B},Other Trading,0.00,0.00,0.00,500000.00,`,
    `2019,${B},Other Trading,0.00,0.00,0.00,500000.00,`,
  ].join('\n');
  expect((await importCsv(e2e, csv)).status).toBe(201);
  await appropriate(e2e, 2019, '1000000.00');
  const fin = e2e.auth('FIN', 'head');
  const expected: Array<[string, string, string, string | null]> = [];

  for (const program of ['P2a', 'P2b'] as const) {
    const submission = program === 'P2a' ? p2aSubmission(A) : { program, year: 2019, beneficiary: { uscc: A, kind: 'enterprise' }, claims: {} };
    const id = await readyForDecision(e2e, submission);
    // The read side follows the log on its own: read what the commands above wrote.
    await e2e.caughtUp(await e2e.store.headPosition());
    const before = await e2e.http().get(`/api/v1/applications/${id}`).set(fin).expect(200);
    const preview = before.body.awardPreview;
    expect(preview).toMatchObject({ preview: true, eligible: true });

    const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(fin).send({});
    expect(approved.status).toBe(201);
    const after = await e2e.http().get(`/api/v1/applications/${id}?minPosition=${approved.body.position}`).set(fin).expect(200);
    expect(after.body.awardPreview).toBeNull();
    // The preview and the approval speak as `evaluate` does (computedCny: before caps); the approval's
    // approvableCny is the ceiling it may approve, i.e. the preview's amountCny.
    expect({
      amountCny: after.body.award.amountCny,
      computedCny: after.body.award.computedCny,
      ceilingCny: after.body.award.approvableCny,
      capApplied: after.body.award.capApplied,
      trace: after.body.award.trace,
      customsEventIds: after.body.award.customsEventIds,
    }).toEqual({
      amountCny: preview.amountCny,
      computedCny: preview.computedCny,
      ceilingCny: preview.amountCny,
      capApplied: preview.capApplied,
      trace: preview.trace,
      customsEventIds: preview.customsEventIds,
    });
    expected.push([program, preview.computedCny, preview.amountCny, preview.capApplied]);
  }
  // E4: 70% of 150,000.00 = 105,000.00, capped at 100,000.00; then P2b: trade 200,000.00 -> 449,999.99,
  // increment 249,999.99 -> 4 whole steps of 50,000 -> 8,000.00, under what remains of the article cap.
  expect(expected).toEqual([
    ['P2a', '105000.00', '100000.00', expect.stringContaining('P2a')],
    ['P2b', '8000.00', '8000.00', null],
  ]);
});
