import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ExcelJS from 'exceljs';
import { CSV_HEADER, E2eApp, luanUscc, startApp } from './support/e2e-app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const GBK_SAMPLE = readFileSync(join(__dirname, '../fixtures/customs-20-rows.gbk.csv'));

/** `rows` valid rows of 2015, one enterprise each: about 140 bytes a row. */
function bigCsv(rows: number): Buffer {
  const lines = [CSV_HEADER];
  for (let i = 0; i < rows; i++) lines.push(`2015,${luanUscc(i + 1)},六安市测试企业${i + 1}有限公司,${i % 1000}.25,0.00,1.00,${i}.50,`);
  return Buffer.from(lines.join('\n') + '\n');
}

describe('importing customs statistics over HTTP', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());
  const cus = () => e2e.auth('CUS', 'officer');
  const post = (body: Buffer, contentType: string, path = '/api/v1/customs-statistics') =>
    e2e.http().post(path).set(cus()).set('Content-Type', contentType).send(body);

  it('stores a GBK file (no charset: detected) with its Chinese names intact', async () => {
    const res = await post(GBK_SAMPLE, 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 20, imported: 20, revised: 0, unchanged: 0 });
    const events = await e2e.events('customs-2017');
    expect(events[0].data).toMatchObject({ uscc: '91341500MA2010017C', name: '六安市经开区鑫茂汽配实业有限公司' });
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('\uFFFD');
  });

  it('refuses a GBK file sent as UTF-8 with a 422 problem naming the line and the encoding, storing nothing', async () => {
    const head = await e2e.store.headPosition();
    const res = await post(GBK_SAMPLE, 'text/csv; charset=utf-8');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'undecodable-customs-file' });
    expect(res.body.errors[0]).toEqual({ line: 2, field: 'name', reason: expect.stringMatching(/not readable as UTF-8/) });
    expect(await e2e.store.headPosition()).toBe(head);
  });

  it('stores the first sheet of an .xlsx workbook with Chinese headers, number cells as exact decimals', async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('海关统计').addRows([
      [
        '年度',
        '统一社会信用代码',
        '企业名称',
        '9610出口额(美元)',
        '跨境电商进口额(美元)',
        '跨境电商出口额(美元)',
        '出口总额(美元)',
        '平台本地企业网上交易额(美元)',
      ],
      [2021, luanUscc(1), '六安市示例企业', 60000.1, 0, 150000, 1100000],
    ]);
    const res = await post(Buffer.from(await book.xlsx.writeBuffer()), XLSX);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 1, imported: 1 });
    const [event] = await e2e.events('customs-2021');
    expect(event.data).toMatchObject({ name: '六安市示例企业', export9610Usd: '60000.10', cbecExportUsd: '150000.00', platformLocalOnlineTradeUsd: null });
  });

  it('keeps answering other requests while a large import runs, and shows its progress', async () => {
    const rows = 20_000; // ~2.8 MB: past the size that runs in a thread of its own
    const started = await post(bigCsv(rows), 'text/csv', '/api/v1/customs-statistics/imports');
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/api/v1/customs-statistics/imports/${started.body.id}`);
    let status = started.body;
    let healthAnswers = 0;
    const seen = new Set<string>();
    while (status.state !== 'done' && status.state !== 'refused' && status.state !== 'failed') {
      const health = await e2e.http().get('/health');
      expect(health.status).toBe(200);
      healthAnswers++;
      const progress = await e2e.http().get(started.headers.location).set(cus());
      expect(progress.status).toBe(200);
      status = progress.body;
      seen.add(status.state);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toMatchObject({ state: 'done', rowsChecked: rows, rowsStored: rows, answer: { rows, imported: rows }, problem: null });
    expect(healthAnswers).toBeGreaterThan(0);
    expect([...seen].some((state) => state !== 'done')).toBe(true);
    expect((await e2e.events('customs-2015')).length).toBe(rows);
    // The progress is CUS's: another unit reads nothing of it.
    expect((await e2e.http().get(started.headers.location).set(e2e.auth('FIN', 'head'))).status).toBe(403);
    expect((await e2e.http().get('/api/v1/customs-statistics/imports/nope').set(cus())).status).toBe(404);
  }, 120_000);

  it('describes the import routes in the OpenAPI document: both media types, the 202 and the progress resource', async () => {
    const docs = await e2e.http().get('/api/docs/openapi.json');
    expect(docs.status).toBe(200);
    const paths = docs.body.paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/v1/customs-statistics/imports', '/api/v1/customs-statistics/imports/{id}']));
    expect(Object.keys(paths['/api/v1/customs-statistics'].post.requestBody.content)).toEqual(['text/csv', XLSX]);
    expect(Object.keys(paths['/api/v1/customs-statistics/imports'].post.responses)).toEqual(expect.arrayContaining(['202', '403', '415']));
    expect(Object.keys(paths['/api/v1/customs-statistics/imports'].post.responses)).not.toContain('201');
    expect(Object.keys(paths['/api/v1/customs-statistics/imports/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '403', '404']));
  });

  it('answers the same large file through POST /customs-statistics with 201 and the usual body: nothing new', async () => {
    const res = await post(bigCsv(20_000), 'text/csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rows: 20_000, imported: 0, revised: 0, unchanged: 20_000 });
  }, 120_000);
});
