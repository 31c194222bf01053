import { Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CqrsModule } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EventStore, openSqliteEventStore } from '@cbec/event-store';
import { loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { AuthModule, WorkflowCoreModule } from '@cbec/workflow';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { ProjectionsModule, waitForProjections } from '../../../libs/projections/src/projections.module';
import { Scenario, uscc } from '../../../libs/projections/src/testing/scenario';

/**
 * The GET endpoints of docs/api.md over HTTP (real SQLite store, real JWT guard and problem filter), on a
 * history written through the deciders. Who may read what: parties to the case and AUDIT; an applicant
 * only its own USCC; 404 for an unknown case.
 */
const A = uscc(1);
const B = uscc(2);

let app: NestFastifyApplication;
let dir: string;
let store: EventStore;
let secret: string;
let s: Scenario;

const auth = (unit: string, role: string, u?: string) => ({
  Authorization: `Bearer ${mintToken(secret, { sub: `${unit.toLowerCase()}-${role}`, unit, role, ...(u ? { uscc: u } : {}) })}`,
});
const FIN = () => auth('FIN', 'officer');
const COM = () => auth('COM', 'officer');
const CUS = () => auth('CUS', 'officer');
const AUDIT = () => auth('AUDIT', 'auditor');
const COUNTY = () => auth('CTY-341502', 'officer');
const applicant = (u: string) => auth('APPLICANT', 'applicant', u);
const get = (path: string) => request(app.getHttpServer()).get(`/api/v1${path}`);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-read-http-'));
  store = openSqliteEventStore({ directory: dir, pollIntervalMs: 10 });
  @Module({
    imports: [CqrsModule.forRoot(), WorkflowCoreModule.forRoot({ dataDir: dir, eventStore: store }), AuthModule, ProjectionsModule],
  })
  class ReadSideTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ReadSideTestModule] }).compile();
  app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: ['error'] });
  await initApp(configureApp(app, { docs: false }));
  secret = loadOrCreateJwtSecret(dir);

  s = new Scenario(store);
  await s.allocate(2019, '1000000.00');
  await s.wholeLife('paid', A, '100000.00', 'P2a');
  await s.submit('review', 'P2b', A);
  await s.accept('review', '2020-03-16');
  await s.opinion('review', 'COM');
  await s.overdue('review', 'CUS', 1, '2020-03-17');
  await s.submit('other', 'P1', B);
  await s.importCustoms(2019, [{ uscc: uscc(3), export9610Usd: '50000.00', cbecImportUsd: '0.00', cbecExportUsd: '50000.00', totalExportUsd: '80000.00' }]);
  await s.submit('p1-eligible', 'P1', uscc(3), { claims: { otherMunicipalTradeAward: false } });
  await s.submit('p1-no-customs', 'P1', uscc(4), { claims: { otherMunicipalTradeAward: false } });
  await waitForProjections(app, await store.headPosition());
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /applications/{id}', () => {
  it('gives a party the case: status, version (also as ETag), pending units with due dates, opinions with authors, overdue reviews', async () => {
    const res = await get('/applications/review').set(CUS()).expect(200);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
    expect(res.body).toMatchObject({
      applicationId: 'review',
      program: 'P2b',
      status: 'under-review',
      leadUnit: 'FIN',
      round: 1,
      pendingUnits: [
        { unit: 'CUS', dueDate: '2020-03-16', overdue: true, overdueAsOf: '2020-03-17' },
        { unit: 'PBC', dueDate: '2020-03-16', overdue: false },
      ],
      opinions: [{ unit: 'COM', verdict: 'approve', author: 'com-officer' }],
      overdueReviews: [{ unit: 'CUS', dueDate: '2020-03-16', outcome: 'pending' }],
      award: null,
    });
  });

  it('shows the approved award with its trace', async () => {
    const res = await get('/applications/paid').set(AUDIT()).expect(200);
    expect(res.body.status).toBe('disbursed');
    expect(res.body.award).toMatchObject({ amountCny: '100000.00', policyVersion: 'LZB-2019-4' });
    expect(res.body.award.trace.length).toBeGreaterThan(0);
  });

  it('before the decision, previews the award the policy engine computes from the imported customs figures, with its trace', async () => {
    const res = await get('/applications/p1-eligible').set(FIN()).expect(200);
    expect(res.body.award).toBeNull();
    expect(res.body.awardPreview).toMatchObject({ preview: true, eligible: true, amountCny: '50000.00', policyVersion: 'LZB-2019-4' });
    expect(res.body.awardPreview.customsEventIds).toHaveLength(1);
    expect(res.body.awardPreview.trace.some((t: { source?: string }) => t.source?.startsWith('customs-event:'))).toBe(true);

    // No customs figures imported: refused by the rules, with the reason.
    const none = await get('/applications/p1-no-customs').set(FIN()).expect(200);
    expect(none.body.awardPreview).toMatchObject({ preview: true, eligible: false, amountCny: '0.00' });
    expect(none.body.awardPreview.reasons.length).toBeGreaterThan(0);

    // Claims the engine cannot read yet: shown to the reviewers, not a failed page.
    const unreadable = await get('/applications/other').set(FIN()).expect(200);
    expect(unreadable.body.awardPreview).toEqual({ preview: true, error: expect.stringMatching(/otherMunicipalTradeAward/) });

    // Decided cases carry the award itself, no preview.
    expect((await get('/applications/paid').set(FIN()).expect(200)).body.awardPreview).toBeNull();
  });

  it('lets the applicant read its own case and refuses another applicant with 403', async () => {
    await get('/applications/paid').set(applicant(A)).expect(200);
    const res = await get('/applications/paid').set(applicant(B)).expect(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('refuses a unit that is not a party (a county government) with 403', async () => {
    await get('/applications/paid').set(COUNTY()).expect(403);
  });

  it('answers 404 for an unknown case, and 401 without a token', async () => {
    const res = await get('/applications/nope').set(FIN()).expect(404);
    expect(res.body).toMatchObject({ status: 404, code: 'not-found' });
    await get('/applications/paid').expect(401);
  });

  it('waits for minPosition (read-your-writes) and refuses a malformed one with 400', async () => {
    const position = await s.submit('fresh', 'P1', uscc(7));
    const res = await get(`/applications/fresh?minPosition=${position}`).set(FIN()).expect(200);
    expect(res.body.status).toBe('submitted');
    await get('/applications/fresh?minPosition=abc').set(FIN()).expect(400);
    await get('/applications/fresh?unknown=1').set(FIN()).expect(400);
  });
});

describe('GET /applications/{id}/history', () => {
  it("lists the case's events from the log with actor, unit, role, time and command id", async () => {
    const res = await get('/applications/review/history').set(FIN()).expect(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['ApplicationSubmitted', 'CaseAccepted', 'ReviewOpinionRecorded', 'ReviewOverdue']);
    expect(res.body.events[2]).toMatchObject({
      version: 2,
      actor: { user: 'com-officer', unit: 'COM', role: 'officer' },
      commandId: expect.any(String),
      occurredAt: expect.stringMatching(/^2020-03-02T/),
    });
  });

  it('is refused to another applicant (403) and unknown cases are 404', async () => {
    await get('/applications/review/history').set(applicant(B)).expect(403);
    await get('/applications/nope/history').set(AUDIT()).expect(404);
  });
});

describe('GET /applications', () => {
  it('lists only the applicant its own cases', async () => {
    const res = await get('/applications').set(applicant(B)).expect(200);
    expect(res.body.items.map((c: { applicationId: string }) => c.applicationId)).toEqual(['other']);
    expect(res.body.total).toBe(1);
  });

  it('filters by status and program, and refuses an unknown status or program with 400', async () => {
    const res = await get('/applications?status=under-review&program=trade-increment-subsidy').set(AUDIT()).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ applicationId: 'review', pendingUnits: ['CUS', 'PBC'] })]);
    await get('/applications?status=lost').set(AUDIT()).expect(400);
    const bad = await get('/applications?program=P9').set(AUDIT()).expect(400);
    expect(bad.body.detail).toMatch(/P9/);
  });

  it('shows a county government no award case (it is party to none)', async () => {
    const res = await get('/applications').set(COUNTY()).expect(200);
    expect(res.body).toMatchObject({ items: [], total: 0 });
  });
});

describe('GET /inbox', () => {
  it('shows COM the overdue review of another unit, and CUS its own pending review, due date first', async () => {
    const com = await get('/inbox').set(COM()).expect(200);
    expect(com.body.items).toEqual([expect.objectContaining({ applicationId: 'review', task: 'overdue-review', reviewUnit: 'CUS', dueDate: '2020-03-16' })]);
    const cus = await get('/inbox').set(CUS()).expect(200);
    expect(cus.body.items).toEqual([expect.objectContaining({ applicationId: 'review', task: 'review', overdue: true })]);
  });

  it("shows FIN its acceptances; refuses a unit reading another unit's inbox", async () => {
    const fin = await get('/inbox').set(FIN()).expect(200);
    expect(fin.body.items.map((i: { applicationId: string; task: string }) => [i.applicationId, i.task])).toEqual(
      expect.arrayContaining([['other', 'accept']]),
    );
    await get('/inbox?unit=FIN').set(COM()).expect(403);
    await get('/inbox?unit=FIN').set(AUDIT()).expect(200);
  });
});

describe('GET /beneficiaries/{uscc}/totals', () => {
  it('gives the totals per program and article with caps and what remains', async () => {
    const res = await get(`/beneficiaries/${A}/totals?year=2019`).set(FIN()).expect(200);
    expect(res.body.articles).toEqual(
      expect.arrayContaining([
        { article: '四（二）', programs: ['P2a', 'P2b'], countedCny: '100000.00', annualCapCny: '200000.00', remainingCny: '100000.00' },
      ]),
    );
    expect(res.body.programs.find((p: { program: string }) => p.program === 'P2a')).toMatchObject({
      approvedCny: '100000.00',
      disbursedCny: '100000.00',
      blockedBy: 'already-awarded',
    });
  });

  it('lets the applicant read its own totals only; a bad USCC or a missing year is a 400', async () => {
    await get(`/beneficiaries/${A}/totals?year=2019`).set(applicant(A)).expect(200);
    await get(`/beneficiaries/${A}/totals?year=2019`).set(applicant(B)).expect(403);
    await get(`/beneficiaries/913415000000000000/totals?year=2019`).set(FIN()).expect(400);
    await get(`/beneficiaries/${A}/totals`).set(FIN()).expect(400);
  });
});

describe('GET /funds/{year}', () => {
  it('gives departments and AUDIT the appropriation, committed, disbursed and available', async () => {
    const res = await get('/funds/2019').set(AUDIT()).expect(200);
    expect(res.body).toMatchObject({
      year: 2019,
      appropriationCny: '1000000.00',
      committedCny: '100000.00',
      disbursedCny: '100000.00',
      availableCny: '900000.00',
    });
  });

  it('refuses an applicant (403) and a malformed year (400)', async () => {
    await get('/funds/2019').set(applicant(A)).expect(403);
    await get('/funds/nineteen').set(FIN()).expect(400);
  });
});
