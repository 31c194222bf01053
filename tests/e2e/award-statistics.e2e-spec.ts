import { E2eApp, luanUscc, startApp } from './support/e2e-app';
import { accept, allApprove, appropriate, importCsv, p2aSubmission, submit } from './support/flows';

/**
 * 统计 (GET /statistics/awards, docs/api.md): approved awards by year, program and county over the cases the
 * caller may read, as JSON or as a CSV file; departments and AUDIT only.
 */
describe('award statistics by program, county and year', () => {
  let e: E2eApp;
  beforeAll(async () => {
    e = await startApp();
  });
  afterAll(() => e.close());

  it('sums the approved awards by county, leaves unapproved cases out, answers CSV, and refuses an applicant', async () => {
    const approvedUscc = luanUscc(9301);
    const csv = `year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd\n2018,${approvedUscc},示例,0.00,20000.00,180000.00,1000000.00,\n2019,${approvedUscc},示例,30000.00,25000.00,260000.00,1100000.00,\n`;
    expect((await importCsv(e, csv)).status).toBe(201);
    await appropriate(e, 2019, '5000000.00');
    const approved = await submit(e, p2aSubmission(approvedUscc));
    await accept(e, approved);
    await allApprove(e, approved);
    const approval = await e.http().post(`/api/v1/applications/${approved}/approval`).set(e.auth('FIN', 'head')).send({});
    expect({ status: approval.status, body: approval.status === 201 ? 'approved' : approval.body }).toEqual({ status: 201, body: 'approved' });
    await submit(e, p2aSubmission(luanUscc(9302)));

    const stats = await e.http().get(`/api/v1/statistics/awards?year=2019&minPosition=${approval.body.position}`).set(e.auth('FIN', 'officer')).expect(200);
    expect(stats.body.rows).toEqual([
      {
        year: 2019,
        program: 'P2a',
        division: approvedUscc.slice(2, 8),
        county: expect.any(String),
        awards: 1,
        approvedCny: expect.stringMatching(/^\d+\.\d{2}$/),
        disbursedCny: '0.00',
      },
    ]);
    expect(Number(stats.body.rows[0].approvedCny)).toBeGreaterThan(0);

    const file = await e.http().get('/api/v1/statistics/awards?year=2019&format=csv').set(e.auth('AUDIT', 'auditor')).expect(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe('attachment; filename="award-statistics-2019.csv"');
    const lines = file.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('年度,项目,县区,区划代码,件数,批准金额（元）,已拨付（元）');
    expect(lines[1]).toContain(`2019,P2a 跨境电商平台服务年费和推广运营费补贴,`);
    expect(lines).toHaveLength(2);

    expect(
      (
        await e
          .http()
          .get('/api/v1/statistics/awards')
          .set(e.auth('APPLICANT', 'applicant', approvedUscc))
          .expect(403)
      ).body.code,
    ).toBe('forbidden');
    expect((await e.http().get('/api/v1/statistics/awards?format=xml').set(e.auth('COM', 'officer')).expect(400)).text).toContain('format must be json or csv');
  });
});
