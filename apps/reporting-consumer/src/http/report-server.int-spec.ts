import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AnyIntegrationEvent, IntegrationEventMapper } from '@cbec/messaging';
import { InMemoryEventStore } from '@cbec/event-store';
import { formatMoney } from '@cbec/domain';
import { appendAll, scenario } from '../../../../libs/messaging/src/testing/case-lifecycle.fixture';
import { ReportingDb } from '../reports/reporting-db';
import { createReportServer } from './report-server';

describe('the reporting consumer HTTP API', () => {
  let db: ReportingDb;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const store = new InMemoryEventStore();
    await appendAll(store, scenario('http', 5));
    const mapper = new IntegrationEventMapper(store);
    const events: AnyIntegrationEvent[] = [];
    for await (const e of store.readAll()) {
      const m = await mapper.map(e);
      if (m) events.push(m);
    }
    db = new ReportingDb(':memory:');
    db.applyBatch(events, { kind: 'sse', feed: 'f', globalPosition: 1 });
    server = createReportServer(db, () => ({ source: 'test' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    db.close();
  });

  it('serves each report as JSON', async () => {
    for (const name of ['awards', 'funds', 'throughput', 'overdue']) {
      const res = await fetch(`${base}/reports/${name}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { report: string; rows: unknown[] };
      expect(body.report).toBe(name);
      expect(body.rows.length).toBeGreaterThan(0);
    }
  });

  it('serves the same rows as CSV with a header line', async () => {
    const res = await fetch(`${base}/reports/throughput?format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('program,year,submitted,resubmitted,accepted,returned,approved,rejected,disbursed,programName');
    expect(lines.length - 1).toBe(db.throughput().length);
  });

  it('names programs and counties and writes amounts in yuan for people, in Chinese unless asked for English', async () => {
    const zh = (await (await fetch(`${base}/reports/awards?format=csv`)).text()).trim().split('\r\n');
    expect(zh[0]).toBe('program,county,year,approvedCount,approvedCny,disbursedCount,disbursedCny,programName,countyName,approvedText,disbursedText');
    const row = db.awards()[0];
    const cells = zh[1].split(',');
    expect(cells.slice(0, 2)).toEqual([row.program, row.county]);
    expect(cells[7]).not.toMatch(/未译/);
    expect(cells[8]).toMatch(/^(六安市|金安区|裕安区|叶集区|霍邱县|舒城县|金寨县|霍山县|〔未译〕\d{6})$/);
    expect(zh[1]).toContain(formatMoney(String(row.approvedCny)));
    expect(formatMoney(String(row.approvedCny))).toMatch(/^¥[\d,]+\.\d{2}$/);
    const en = (await (await fetch(`${base}/reports/overdue?format=csv`, { headers: { 'accept-language': 'en' } })).text()).trim().split('\r\n');
    expect(en[0].endsWith(',unitName,programName')).toBe(true);
    expect(en[1]).toMatch(/(Municipal|Hefei|People's Bank|government)/);
    expect((await fetch(`${base}/reports/awards?format=csv&lang=fr`)).status).toBe(400);
  });

  it('answers an unknown report (404) and format (400) with a problem naming what exists', async () => {
    const missing = await fetch(`${base}/reports/salaries`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/no report "salaries"; reports: awards, funds, throughput, overdue/);
    const xml = await fetch(`${base}/reports/awards?format=xml`);
    expect(xml.status).toBe(400);
    expect(((await xml.json()) as { detail: string }).detail).toBe('format="xml" must be json or csv');
  });
});
