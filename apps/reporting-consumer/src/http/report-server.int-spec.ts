import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AnyIntegrationEvent, IntegrationEventMapper } from '@cbec/messaging';
import { InMemoryEventStore } from '@cbec/event-store';
import { formatMoney } from '@cbec/domain';
import { loadOrCreateJwtSecret, mintToken, SqliteTokenRevocations } from '@cbec/platform';
import { appendAll, scenario } from '../../../../libs/messaging/src/testing/case-lifecycle.fixture';
import { ReportingDb } from '../reports/reporting-db';
import { createReportServer } from './report-server';
import { ReportAuth } from './report-auth';

describe('the reporting consumer HTTP API', () => {
  let db: ReportingDb;
  let server: Server;
  let base: string;
  let dir: string;
  let auth: ReportAuth;
  let secret: string;
  /** A token of `unit` (role officer, or applicant for APPLICANT). */
  const tokenOf = (unit: string, extra: { uscc?: string; role?: string } = {}) =>
    mintToken(secret, { sub: `${unit.toLowerCase()}-1`, unit, role: extra.role ?? 'officer', ...(extra.uscc ? { uscc: extra.uscc } : {}) });
  let finToken: string;
  /** fetch as a FIN officer unless the headers say otherwise. */
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${finToken}`, ...headers } });

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
    dir = mkdtempSync(join(tmpdir(), 'report-server-'));
    secret = loadOrCreateJwtSecret(dir);
    finToken = tokenOf('FIN');
    auth = new ReportAuth({ dataDir: dir });
    server = createReportServer(db, () => ({ source: 'test' }), auth);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await auth.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves each report as JSON', async () => {
    for (const name of ['awards', 'funds', 'throughput', 'overdue']) {
      const res = await get(`/reports/${name}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { report: string; rows: unknown[] };
      expect(body.report).toBe(name);
      expect(body.rows.length).toBeGreaterThan(0);
    }
  });

  it('serves the same rows as CSV with a header line', async () => {
    const res = await get(`/reports/throughput?format=csv`);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('program,year,submitted,resubmitted,accepted,returned,approved,rejected,disbursed,programName');
    expect(lines.length - 1).toBe(db.throughput().length);
  });

  it('names programs and counties and writes amounts in yuan for people, in Chinese unless asked for English', async () => {
    const zh = (await (await get(`/reports/awards?format=csv`)).text()).trim().split('\r\n');
    expect(zh[0]).toBe('program,county,year,approvedCount,approvedCny,disbursedCount,disbursedCny,programName,countyName,approvedText,disbursedText');
    const row = db.awards()[0];
    const cells = zh[1].split(',');
    expect(cells.slice(0, 2)).toEqual([row.program, row.county]);
    expect(cells[7]).not.toMatch(/未译/);
    expect(cells[8]).toMatch(/^(六安市|金安区|裕安区|叶集区|霍邱县|舒城县|金寨县|霍山县|〔未译〕\d{6})$/);
    expect(zh[1]).toContain(formatMoney(String(row.approvedCny)));
    expect(formatMoney(String(row.approvedCny))).toMatch(/^¥[\d,]+\.\d{2}$/);
    const en = (await (await get(`/reports/overdue?format=csv`, { 'accept-language': 'en' })).text()).trim().split('\r\n');
    expect(en[0].endsWith(',unitName,programName')).toBe(true);
    expect(en[1]).toMatch(/(Municipal|Hefei|People's Bank|government)/);
    expect((await get(`/reports/awards?format=csv&lang=fr`)).status).toBe(400);
  });

  it('answers an unknown report (404) and format (400) with a problem naming what exists', async () => {
    const missing = await get(`/reports/salaries`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/no report "salaries"; reports: awards, funds, throughput, overdue/);
    const xml = await get(`/reports/awards?format=xml`);
    expect(xml.status).toBe(400);
    expect(((await xml.json()) as { detail: string }).detail).toBe('format="xml" must be json or csv');
  });

  it('answers a report without a token, or with a bad or revoked one, with 401 naming why', async () => {
    const none = await fetch(`${base}/reports/awards`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(((await none.json()) as { detail: string }).detail).toMatch(/missing Authorization header/);
    const foreign = await get('/reports/awards', { authorization: `Bearer ${mintToken('another-data-folder', { sub: 'x', unit: 'FIN', role: 'officer' })}` });
    expect(foreign.status).toBe(401);
    expect(((await foreign.json()) as { detail: string }).detail).toMatch(/signature/);
    const revokedToken = tokenOf('COM');
    expect((await get('/reports/awards', { authorization: `Bearer ${revokedToken}` })).status).toBe(200);
    const revocations = new SqliteTokenRevocations(dir);
    await revocations.revokeSubject('com-1', new Date(Date.now() + 1000));
    await revocations.close();
    const revoked = await get('/reports/awards', { authorization: `Bearer ${revokedToken}` });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { detail: string }).detail).toMatch(/revoked/);
  });

  it('refuses an applicant and an administrator (403): reports are for departments and AUDIT', async () => {
    const applicant = tokenOf('APPLICANT', { role: 'applicant', uscc: '91341502MA2DEM001K' });
    const refused = await get('/reports/awards?format=csv', { authorization: `Bearer ${applicant}` });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { detail: string }).detail).toBe(
      'unit APPLICANT may not read the reports: departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT may',
    );
    const admin = await get('/reports/funds', { authorization: `Bearer ${tokenOf('ADMIN', { role: 'admin' })}` });
    expect(admin.status).toBe(403);
    expect((await get('/reports/awards', { authorization: `Bearer ${tokenOf('AUDIT', { role: 'auditor' })}` })).status).toBe(200);
  });

  it("gives a county unit only its own county's rows, in JSON and CSV, and a department every county", async () => {
    const all = db.awards();
    const counties = [...new Set(all.map((r) => r.county))];
    expect(counties.length).toBeGreaterThan(1);
    const county = String(counties[0]);
    const own = all.filter((r) => r.county === county);
    const asCounty = { authorization: `Bearer ${tokenOf(`CTY-${county}`)}` };
    const json = (await (await get('/reports/awards', asCounty)).json()) as { rows: Array<Record<string, unknown>> };
    expect(json.rows).toEqual(own);
    const csv = (await (await get('/reports/awards?format=csv', asCounty)).text()).trim().split('\r\n').slice(1);
    expect(csv.map((line) => line.split(',')[1])).toEqual(own.map((r) => r.county));
    // The city's fund, the throughput and the overdue requests carry no county: none of their rows is a county's.
    for (const name of ['funds', 'throughput', 'overdue']) {
      expect(((await (await get(`/reports/${name}`, asCounty)).json()) as { rows: unknown[] }).rows).toEqual([]);
    }
    const department = (await (await get('/reports/awards')).json()) as { rows: Array<Record<string, unknown>> };
    expect(department.rows).toEqual(all);
  });
});
