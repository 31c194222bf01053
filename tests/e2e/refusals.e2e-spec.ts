import { JwtService } from '@nestjs/jwt';
import { gzipSync } from 'node:zlib';
import { customsDecider, evolveAll, type CustomsEvent } from '@cbec/domain';
import { csv, E2eApp, luanUscc, startApp } from './support/e2e-app';
import { accept, allApprove, appropriate, importCsv, p1Submission, p2aSubmission, readyForDecision, submit } from './support/flows';

const ENTERPRISE = luanUscc(1001);
const OTHER = luanUscc(1002);
const P1_ENTERPRISE = luanUscc(1003);
const SMALL_EXPORTER = luanUscc(1004);

describe('refusal paths over HTTP', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
    const imported = await importCsv(
      e2e,
      csv(
        `2018,${ENTERPRISE},企业甲,0.00,0.00,0.00,1000000.00,`,
        `2019,${ENTERPRISE},企业甲,0.00,0.00,0.00,1100000.00,`,
        `2018,${OTHER},企业乙,0.00,0.00,0.00,1000000.00,`,
        `2019,${OTHER},企业乙,0.00,0.00,0.00,1200000.00,`,
        `2019,${P1_ENTERPRISE},企业丙,50000.00,0.00,0.00,50000.00,`,
        `2019,${SMALL_EXPORTER},企业丁,49999.99,0.00,0.00,49999.99,`,
      ),
    );
    expect(imported.status).toBe(201);
    await appropriate(e2e, 2019, '1000000.00');
  });
  afterAll(() => e2e.close());

  describe('return and resubmission', () => {
    it('returns a case to its applicant, who alone resubmits it, and a new round opens', async () => {
      const id = await submit(e2e, p2aSubmission(ENTERPRISE, ['10000.00']));
      const returned = await e2e.http().post(`/api/v1/applications/${id}/return`).set(e2e.auth('FIN', 'officer')).send({ reason: 'invoices missing' });
      expect(returned.status).toBe(201);

      const corrected = { claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: [{ amountCny: '10000.00', invoiceRef: 'INV-1' }] } };
      const byOther = await e2e
        .http()
        .post(`/api/v1/applications/${id}/resubmission`)
        .set(e2e.auth('APPLICANT', 'applicant', OTHER))
        .send(corrected);
      expect(byOther.status).toBe(403);
      expect(byOther.body.code).toBe('forbidden');

      const resubmitted = await e2e
        .http()
        .post(`/api/v1/applications/${id}/resubmission`)
        .set(e2e.auth('APPLICANT', 'applicant', ENTERPRISE))
        .send(corrected);
      expect(resubmitted.status).toBe(201);
      await accept(e2e, id);
      await allApprove(e2e, id);
      const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(approved.status).toBe(201);
      expect(approved.body.amountCny).toBe('7000.00');
      const types = (await e2e.events(`application-${id}`)).map((e) => e.type);
      expect(types.slice(0, 3)).toEqual(['ApplicationSubmitted', 'ApplicationReturned', 'ApplicationResubmitted']);
    });
  });

  describe('a rejecting unit', () => {
    it('moves the case to objected and back to the lead unit, who rejects it', async () => {
      const id = await submit(e2e, p2aSubmission(OTHER));
      await accept(e2e, id);
      const rejecting = await e2e
        .http()
        .post(`/api/v1/applications/${id}/opinions`)
        .set(e2e.auth('CUS', 'officer'))
        .send({ verdict: 'reject', comment: 'figures do not match' });
      expect(rejecting.status).toBe(201);
      const late = await e2e.http().post(`/api/v1/applications/${id}/opinions`).set(e2e.auth('PBC', 'officer')).send({ verdict: 'approve', comment: 'ok' });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'invalid-transition', currentStatus: 'objected' });
      const approval = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(approval.status).toBe(409);
      const rejected = await e2e.http().post(`/api/v1/applications/${id}/rejection`).set(e2e.auth('FIN', 'officer')).send({ reason: 'customs objects' });
      expect(rejected.status).toBe(201);
      const types = (await e2e.events(`application-${id}`)).map((e) => e.type);
      expect(types).toEqual(['ApplicationSubmitted', 'CaseAccepted', 'ReviewOpinionRecorded', 'ApplicationObjected', 'ApplicationRejected']);
    });
  });

  describe('who may act (403)', () => {
    let id: string;
    beforeAll(async () => {
      id = await submit(e2e, p1Submission(P1_ENTERPRISE));
    });

    it('refuses a unit that is not the lead unit', async () => {
      const res = await e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('COM', 'officer'));
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 403, code: 'forbidden', type: 'urn:cbec:problem:forbidden' });
    });

    it('refuses a unit that is not cooperating on the program', async () => {
      await accept(e2e, id);
      const res = await e2e.http().post(`/api/v1/applications/${id}/opinions`).set(e2e.auth('CTY-341502', 'officer')).send({ verdict: 'approve', comment: '' });
      expect(res.status).toBe(403);
      const lead = await e2e.http().post(`/api/v1/applications/${id}/opinions`).set(e2e.auth('FIN', 'officer')).send({ verdict: 'approve', comment: '' });
      expect(lead.status).toBe(403);
    });

    it('refuses the wrong role within the right unit', async () => {
      await allApprove(e2e, id);
      const byOfficer = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'officer')).send({});
      expect(byOfficer.status).toBe(403);
      expect(byOfficer.body.detail).toMatch(/role head/);
      const appropriation = await e2e.http().post('/api/v1/funds/2019/appropriations').set(e2e.auth('FIN', 'officer')).send({ amountCny: '1.00' });
      expect(appropriation.status).toBe(403);
      const review = await e2e.http().post(`/api/v1/applications/${id}/opinions`).set(e2e.auth('COM', 'head')).send({ verdict: 'approve', comment: '' });
      expect(review.status).toBe(403);
    });

    it('lets AUDIT read but change nothing', async () => {
      const auditor = e2e.auth('AUDIT', 'auditor');
      expect((await e2e.http().post(`/api/v1/applications/${id}/approval`).set(auditor).send({})).status).toBe(403);
      expect((await e2e.http().post('/api/v1/customs-statistics').set(auditor).set('Content-Type', 'text/csv').send(csv())).status).toBe(403);
      const head = await e2e.store.headPosition();
      await e2e.caughtUp(head);
      expect((await e2e.http().get(`/api/v1/applications/${id}`).set(auditor)).status).toBe(200);
    });

    it('lets an applicant act only for its own USCC', async () => {
      const res = await e2e
        .http()
        .post('/api/v1/applications')
        .set(e2e.auth('APPLICANT', 'applicant', OTHER))
        .send(p1Submission(P1_ENTERPRISE));
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/own USCC/);
      await e2e.caughtUp(await e2e.store.headPosition());
      expect(
        (
          await e2e
            .http()
            .get(`/api/v1/applications/${id}`)
            .set(e2e.auth('APPLICANT', 'applicant', OTHER))
        ).status,
        // Another enterprise's case does not exist for an applicant (docs/api.md "Uniform answers").
      ).toBe(404);
    });

    it('keeps customs imports with CUS', async () => {
      const res = await importCsvAs(e2e, e2e.auth('FIN', 'head'), csv(`2019,${OTHER},企业乙,0.00,0.00,0.00,1.00,`));
      expect(res.status).toBe(403);
    });
  });

  describe('If-Match and Idempotency-Key', () => {
    it('refuses a stale If-Match version with 409 and the actual version', async () => {
      const id = await submit(e2e, p2aSubmission(luanUscc(1101)));
      const stale = await e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('FIN', 'officer')).set('If-Match', '3');
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'version-conflict', expectedVersion: 3, actualVersion: 0 });
      const fresh = await e2e.http().post(`/api/v1/applications/${id}/acceptance`).set(e2e.auth('FIN', 'officer')).set('If-Match', '0');
      expect(fresh.status).toBe(201);
      expect(fresh.body.version).toBe(1);
    });

    it('answers a repeated Idempotency-Key with the first answer and stores nothing', async () => {
      const applicant = e2e.auth('APPLICANT', 'applicant', luanUscc(1102));
      const body = p2aSubmission(luanUscc(1102));
      const first = await e2e.http().post('/api/v1/applications').set(applicant).set('Idempotency-Key', 'k-1').send(body);
      const head = await e2e.store.headPosition();
      const again = await e2e.http().post('/api/v1/applications').set(applicant).set('Idempotency-Key', 'k-1').send(body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(first.status);
      expect(again.body).toEqual(first.body);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await e2e.store.headPosition()).toBe(head);
      const reused = await e2e
        .http()
        .post('/api/v1/applications')
        .set(applicant)
        .set('Idempotency-Key', 'k-1')
        .send({ ...body, year: 2018 });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency-key-reused');
    });

    it('does not remember a refusal: the same key with the request corrected is decided afresh', async () => {
      const applicant = e2e.auth('APPLICANT', 'applicant', luanUscc(1103));
      const body = p2aSubmission(luanUscc(1103));
      const refused = await e2e
        .http()
        .post('/api/v1/applications')
        .set(applicant)
        .set('Idempotency-Key', 'k-2')
        .send({ ...body, claims: { promotesOnThirdPartyPlatform: true } });
      expect(refused.status).toBe(400);
      const corrected = await e2e.http().post('/api/v1/applications').set(applicant).set('Idempotency-Key', 'k-2').send(body);
      expect(corrected.status).toBe(201);
      expect(corrected.headers['idempotent-replayed']).toBeUndefined();
      const again = await e2e.http().post('/api/v1/applications').set(applicant).set('Idempotency-Key', 'k-2').send(body);
      expect(again.body).toEqual(corrected.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
    });
  });

  describe('customs statistics files', () => {
    it('refuses a file with bad rows, listing every bad row by line, and stores nothing', async () => {
      const head = await e2e.store.headPosition();
      const res = await importCsv(
        e2e,
        csv(
          `2019,${luanUscc(1201)},好企业,1.00,0.00,0.00,1.00,`,
          `2019,91341502MA0001201X,坏校验码,1.00,0.00,0.00,1.00,`,
          `2019,${luanUscc(1202)},,1.00,0.00,0.00,1.00,`,
          `2019,${luanUscc(1203)},小数太多,1.001,0.00,-5.00,1.00,`,
          `20x9,${luanUscc(1204)},年份,1.00,0.00,0.00,1.00,`,
          `2019,${luanUscc(1205)},列数不对,1.00,0.00`,
        ),
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid-customs-rows');
      const errors = res.body.errors as Array<{ line: number; field: string }>;
      expect(errors.map((e) => `${e.line}:${e.field}`)).toEqual(['3:uscc', '4:name', '5:export_9610_usd', '5:cbec_export_usd', '6:year', '7:row']);
      expect(await e2e.store.headPosition()).toBe(head);
    });

    it('stores nothing new for the same file twice, and a revision for different figures', async () => {
      const u = luanUscc(1301);
      const file = csv(`2017,${u},修订企业,1000.00,0.00,0.00,1000.00,`);
      const first = await importCsv(e2e, file);
      expect(first.body).toMatchObject({ imported: 1, revised: 0 });
      const head = await e2e.store.headPosition();
      const second = await importCsv(e2e, file);
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ imported: 0, revised: 0, unchanged: 1 });
      expect(await e2e.store.headPosition()).toBe(head);
      const revised = await importCsv(e2e, csv(`2017,${u},修订企业,2000.00,0.00,0.00,2000.00,`));
      expect(revised.body).toMatchObject({ imported: 0, revised: 1 });
      const stream = (await e2e.events('customs-2017')).filter((e) => (e.data as { uscc: string }).uscc === u);
      expect(stream.map((e) => e.type)).toEqual(['CustomsStatisticsImported', 'CustomsStatisticsRevised']);
      expect((stream[1].data as { previous: { export9610Usd: string } }).previous.export9610Usd).toBe('1000.00');
    });

    it('stores nothing for a file imported before, even after a newer file revised it; a different file with the old figures is a revision', async () => {
      const u = luanUscc(1303);
      const inForce = async () => evolveAll(customsDecider, (await e2e.events('customs-2016')) as unknown as CustomsEvent[]).inForce[u];
      const fileA = csv(`2016,${u},回退企业,1000.00,0.00,0.00,1000.00,`);
      expect((await importCsv(e2e, fileA)).body).toMatchObject({ imported: 1 });
      expect((await importCsv(e2e, csv(`2016,${u},回退企业,2000.00,0.00,0.00,2000.00,`))).body).toMatchObject({ revised: 1 });
      const head = await e2e.store.headPosition();
      const again = await importCsv(e2e, fileA);
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ imported: 0, revised: 0, unchanged: 1 });
      expect(await e2e.store.headPosition()).toBe(head);
      expect(await inForce()).toMatchObject({ export9610Usd: '2000.00', revision: 1 });
      // Another file (the name spelled differently) stating A's figures is a newer statement: a revision.
      const fileC = csv(`2016,${u},回退企业（更正）,1000.00,0.00,0.00,1000.00,`);
      expect((await importCsv(e2e, fileC)).body).toMatchObject({ revised: 1 });
      expect(await inForce()).toMatchObject({ export9610Usd: '1000.00', revision: 2 });
    });

    it('records a file that changed no figure, so sending it again after a newer file revised them stores nothing', async () => {
      const u = luanUscc(1304);
      const v = luanUscc(1305);
      const stream = async () => e2e.events('customs-2015');
      const f0 = csv(`2015,${u},不变企业,1000.00,0.00,0.00,1000.00,`, `2015,${v},不变企业乙,3000.00,0.00,0.00,3000.00,`);
      expect((await importCsv(e2e, f0)).body).toMatchObject({ imported: 2, revised: 0, unchanged: 0 });
      // F1: the figures in force in other bytes (rows swapped, a name spelled differently): only its batch is stored.
      const f1 = csv(`2015,${v},不变企业乙,3000.00,0.00,0.00,3000.00,`, `2015,${u},不变企业（全称）,1000.00,0.00,0.00,1000.00,`);
      const first = await importCsv(e2e, f1);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ imported: 0, revised: 0, unchanged: 2 });
      const recorded = (await stream()).slice(-1);
      expect(recorded.map((e) => [e.type, e.data])).toEqual([['CustomsBatchUnchanged', { year: 2015, batchId: first.body.batchId, rows: 2 }]]);
      // F2 revises u; then F1 again is the same file twice: nothing stored, F2's figures stay in force.
      expect((await importCsv(e2e, csv(`2015,${u},不变企业,2000.00,0.00,0.00,2000.00,`))).body).toMatchObject({ imported: 0, revised: 1 });
      const head = await e2e.store.headPosition();
      const again = await importCsv(e2e, f1);
      expect(again.status).toBe(201);
      expect(again.body).toMatchObject({ batchId: first.body.batchId, imported: 0, revised: 0, unchanged: 2 });
      expect(await e2e.store.headPosition()).toBe(head);
      const events = await stream();
      expect(events.map((e) => e.type)).toEqual([
        'CustomsStatisticsImported',
        'CustomsStatisticsImported',
        'CustomsBatchUnchanged',
        'CustomsStatisticsRevised',
      ]);
      const state = evolveAll(customsDecider, events as unknown as CustomsEvent[]);
      expect(state.inForce[u]).toMatchObject({ export9610Usd: '2000.00', revision: 1, eventIndex: 3 });
      expect(state.inForce[v]).toMatchObject({ export9610Usd: '3000.00', revision: 0 });
    });

    it('keeps a decision pointing at the customs event it used after a revision', async () => {
      const u = luanUscc(1302);
      await importCsv(e2e, csv(`2019,${u},先批后修企业,80000.00,0.00,0.00,80000.00,`));
      const id = await readyForDecision(e2e, p1Submission(u));
      const approved = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(approved.status).toBe(201);
      await importCsv(e2e, csv(`2019,${u},先批后修企业,10.00,0.00,0.00,10.00,`));
      const decision = (await e2e.events(`application-${id}`)).find((e) => e.type === 'AwardApproved')!.data as { customsEventIds: string[] };
      const customs = (await e2e.events('customs-2019')).filter((e) => (e.data as { uscc: string }).uscc === u);
      expect(customs.map((e) => e.type)).toEqual(['CustomsStatisticsImported', 'CustomsStatisticsRevised']);
      expect(decision.customsEventIds).toEqual([customs[0].eventId]);
    });

    it('answers 415 for a body that is not text/csv', async () => {
      const res = await e2e.http().post('/api/v1/customs-statistics').set(e2e.auth('CUS', 'officer')).send({ rows: [] });
      expect(res.status).toBe(415);
    });
  });

  describe('bad input (400)', () => {
    it('refuses money sent as a JSON number, naming the field', async () => {
      const res = await e2e.http().post('/api/v1/funds/2019/appropriations').set(e2e.auth('FIN', 'head')).send({ amountCny: 5000 });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'amountCny', reason: expect.stringMatching(/decimal string/) }]);
      const fees = await e2e
        .http()
        .post('/api/v1/applications')
        .set(e2e.auth('APPLICANT', 'applicant', ENTERPRISE))
        .send(p2aSubmission(ENTERPRISE, [120000]));
      expect(fees.status).toBe(400);
      expect(fees.body.errors[0].field).toBe('claims.platformFeesCny');
    });

    it('refuses a third decimal, a negative amount and unknown fields', async () => {
      const fin = e2e.auth('FIN', 'head');
      expect((await e2e.http().post('/api/v1/funds/2019/appropriations').set(fin).send({ amountCny: '1.001' })).body.errors[0].reason).toMatch(
        /more than two decimals/,
      );
      expect((await e2e.http().post('/api/v1/funds/2019/appropriations').set(fin).send({ amountCny: '-1.00' })).status).toBe(400);
      const unknown = await e2e.http().post('/api/v1/funds/2019/appropriations').set(fin).send({ amountCny: '1.00', note: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toMatchObject({ field: 'note' });
    });

    it('names the missing claim a program needs', async () => {
      const res = await e2e
        .http()
        .post('/api/v1/applications')
        .set(e2e.auth('APPLICANT', 'applicant', ENTERPRISE))
        .send({ ...p2aSubmission(ENTERPRISE), claims: { promotesOnThirdPartyPlatform: true } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('claims.platformFeesCny');
    });
  });

  describe('approval amounts and eligibility (422)', () => {
    it('refuses an amount above the computed award, requires a reason below it and records it', async () => {
      const id = await readyForDecision(e2e, p2aSubmission(luanUscc(1401)));
      await importCsv(e2e, csv(`2018,${luanUscc(1401)},金额企业,0.00,0.00,0.00,100.00,`, `2019,${luanUscc(1401)},金额企业,0.00,0.00,0.00,200.00,`));
      const head = e2e.auth('FIN', 'head');
      const higher = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(head).send({ amountCny: '100000.01' });
      expect(higher.status).toBe(422);
      expect(higher.body.code).toBe('amount-above-computed');
      const noReason = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(head).send({ amountCny: '90000.00' });
      expect(noReason.status).toBe(422);
      const lower = await e2e
        .http()
        .post(`/api/v1/applications/${id}/approval`)
        .set(head)
        .send({ amountCny: '90000.00', reasonIfLower: 'one invoice unconfirmed' });
      expect(lower.status).toBe(201);
      expect(lower.body).toMatchObject({ amountCny: '90000.00', approvableCny: '100000.00' });
      const decision = (await e2e.events(`application-${id}`)).find((e) => e.type === 'AwardApproved')!.data;
      expect(decision).toMatchObject({ amountCny: '90000.00', reasonIfLower: 'one invoice unconfirmed' });
    });

    it('refuses a case the imported figures do not support, reserving nothing (E2)', async () => {
      const id = await readyForDecision(e2e, p1Submission(SMALL_EXPORTER));
      const res = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'not-eligible', reasons: ['below-threshold'] });
      // The refusal's trace is for people: in Chinese unless the request asks for English (docs/chinese.md).
      expect(res.body.trace[res.body.trace.length - 1]).toMatchObject({ code: 'not-eligible', step: '不予奖励', value: '未达到奖励门槛' });
      const en = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).set('Accept-Language', 'en').send({});
      expect(en.status).toBe(422);
      expect(en.body.trace[en.body.trace.length - 1]).toMatchObject({ code: 'not-eligible', step: 'not eligible', value: 'below-threshold' });
      expect(await e2e.events(`beneficiary-${SMALL_EXPORTER}`)).toEqual([]);
    });

    it('refuses P1 when COM recorded a municipal foreign-trade award for the year (extension route)', async () => {
      const u = luanUscc(1402);
      await importCsv(e2e, csv(`2019,${u},外贸企业,90000.00,0.00,0.00,90000.00,`));
      const recorded = await e2e
        .http()
        .post(`/api/v1/beneficiaries/${u}/external-awards`)
        .set(e2e.auth('COM', 'officer'))
        .send({ year: 2019, ref: 'LSW-2020-017', amountCny: '30000.00' });
      expect(recorded.status).toBe(201);
      const id = await readyForDecision(e2e, p1Submission(u));
      const res = await e2e.http().post(`/api/v1/applications/${id}/approval`).set(e2e.auth('FIN', 'head')).send({});
      expect(res.status).toBe(422);
      expect(res.body.reasons).toContain('no-double-benefit');
    });
  });

  describe('authentication (401)', () => {
    const post = () => e2e.http().post('/api/v1/funds/2019/appropriations').send({ amountCny: '1.00' });
    it('refuses a request without a token', async () => {
      const res = await post();
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/Bearer/);
    });
    it("refuses a token signed with another data folder's secret, hinting at the server's CBEC_DATA_DIR", async () => {
      const foreign = new JwtService({ secret: 'x'.repeat(48) }).sign({ unit: 'FIN', role: 'head' }, { subject: 'mallory' });
      const res = await post().set('Authorization', `Bearer ${foreign}`);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(res.body.detail).toBe(
        "token signature is invalid: it was not signed with this server's secret (CBEC_JWT_SECRET_FILE, else the jwt-secret in its CBEC_DATA_DIR)",
      );
      expect(res.body.hint).toMatch(/^mint the token with the server's data folder: CBEC_DATA_DIR=.* npm run --silent cli -- token /);
    });
    it('refuses an expired token', async () => {
      const { readFileSync } = await import('node:fs');
      const secret = readFileSync(`${e2e.dataDir}/jwt-secret`, 'utf8').trim();
      const expired = new JwtService({ secret }).sign({ unit: 'FIN', role: 'head', exp: Math.floor(Date.now() / 1000) - 60 }, { subject: 'li' });
      const res = await post().set('Authorization', `Bearer ${expired}`);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/expired/);
    });
    it('refuses a malformed header and a token whose identity is incoherent', async () => {
      expect((await post().set('Authorization', 'Basic abc')).status).toBe(401);
      const { readFileSync } = await import('node:fs');
      const secret = readFileSync(`${e2e.dataDir}/jwt-secret`, 'utf8').trim();
      const odd = new JwtService({ secret }).sign({ unit: 'TAX', role: 'head' }, { subject: 'x' });
      expect((await post().set('Authorization', `Bearer ${odd}`)).status).toBe(401);
    });
  });
});

function importCsvAs(e2e: E2eApp, auth: { Authorization: string }, text: string) {
  return e2e.http().post('/api/v1/customs-statistics').set(auth).set('Content-Type', 'text/csv').send(text);
}

describe('malformed requests', () => {
  let e2e: E2eApp;
  beforeAll(async () => {
    e2e = await startApp();
  });
  afterAll(() => e2e.close());

  const FUNDS = '/api/v1/funds/2019/appropriations';
  const postJson = (body: string, contentType = 'application/json') =>
    e2e.http().post(FUNDS).set(e2e.auth('FIN', 'head')).set('Content-Type', contentType).send(body);

  it('answers malformed JSON with a 400 problem, not a crash', async () => {
    const res = await postJson('{"amountCny": ');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'invalid-request', type: 'urn:cbec:problem:invalid-request', detail: 'Unexpected end of JSON input' });
  });

  it('refuses a JSON body that is a bare value rather than an object', async () => {
    const res = await postJson('"5000.00"');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid-request', detail: expect.stringMatching(/is not valid JSON/) });
  });

  it('reads an empty JSON body as {} (the fields it lacks are named), not as an unreadable body', async () => {
    const res = await postJson('');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid-request', errors: [{ field: 'amountCny' }] });
  });

  it('answers a JSON body over 2 MB with a 413 problem, and reads a CSV file of that size', async () => {
    const big = JSON.stringify({ amountCny: '1.00', note: 'x'.repeat(2 * 1024 * 1024) });
    const tooLarge = await postJson(big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(tooLarge.body).toMatchObject({ status: 413, code: 'payload-too-large', type: 'urn:cbec:problem:payload-too-large' });
    // Not a 413: the customs file is read (up to 50 MB), and its header is what is wrong.
    const file = await e2e
      .http()
      .post('/api/v1/customs-statistics')
      .set(e2e.auth('CUS', 'officer'))
      .set('Content-Type', 'text/csv')
      .send('y'.repeat(3 * 1024 * 1024));
    expect(file.status).toBe(422);
    expect(file.body.errors[0]).toMatchObject({ line: 1, field: 'header' });
    // 5 MB through loopback and two body parsers: 4.6 s measured alone on a slow day of this 2-core machine.
  }, 20_000);

  it('does not read a body of another media type: a command answers 415 naming application/json, the customs import its own 415', async () => {
    const form = await postJson('amountCny=1.00', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(form.body).toMatchObject({
      code: 'unsupported-media-type',
      detail: 'send the command as JSON with Content-Type: application/json (got application/x-www-form-urlencoded)',
    });
    const text = await postJson('{"amountCny": "1.00"}', 'text/plain');
    expect(text.status).toBe(415);
    const xml = await e2e.http().post('/api/v1/customs-statistics').set(e2e.auth('CUS', 'officer')).set('Content-Type', 'application/xml').send('<rows/>');
    expect(xml.status).toBe(415);
    expect(xml.body.code).toBe('unsupported-media-type');
  });

  it('answers a Content-Type header that is not a media type with a 415 problem', async () => {
    const res = await postJson('{"amountCny": "1.00"}', 'json');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 415, code: 'unsupported-media-type' });
  });

  it('refuses a JSON charset other than UTF-8 with a 415 problem, and inflates a gzip body', async () => {
    const latin1 = await postJson('{"amountCny": "1.00"}', 'application/json; charset=latin1');
    expect(latin1.status).toBe(415);
    expect(latin1.body).toMatchObject({ status: 415, detail: 'unsupported charset "LATIN1"' });
    // The bytes as they are (supertest would otherwise serialize a Buffer as JSON).
    const gzipped = (body: string) =>
      e2e
        .http()
        .post(FUNDS)
        .set(e2e.auth('FIN', 'head'))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((bytes) => bytes as string)
        .send(gzipSync(body));
    expect((await gzipped('{"amountCny": "3.00"}')).status).toBe(201);
    // The 2 MB limit counts the inflated bytes.
    const bomb = await gzipped(JSON.stringify({ amountCny: '1.00', note: ' '.repeat(3 * 1024 * 1024) }));
    expect(bomb.status).toBe(413);
    expect(bomb.body).toMatchObject({ code: 'payload-too-large' });
  });

  it('answers a URL with a broken %-escape with a 400 problem', async () => {
    const res = await e2e.http().get('/api/v1/applications/%E0%A4%A').set(e2e.auth('FIN', 'head'));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'invalid-request' });
  });

  it('routes a trailing slash and any case of the path as before, and sends no ETag or X-Powered-By', async () => {
    const fin = e2e.auth('FIN', 'officer');
    expect((await e2e.http().get('/api/v1/inbox/').set(fin)).status).toBe(200);
    expect((await e2e.http().get('/API/V1/Inbox').set(fin)).status).toBe(200);
    const health = await e2e.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.etag).toBeUndefined();
    expect(health.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with a 404 problem and serves the OpenAPI document and UI', async () => {
    const unknown = await e2e.http().get('/api/v1/nothing-here').set(e2e.auth('FIN', 'head'));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ status: 404, code: 'not-found', detail: 'Cannot GET /api/v1/nothing-here' });
    const ui = await e2e.http().get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await e2e.http().get('/api/docs/swagger-ui.css')).status).toBe(200);
    const docs = await e2e.http().get('/api/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/applications/{id}/approval', '/api/v1/beneficiaries/{uscc}/external-awards', '/api/v1/customs-statistics']),
    );
    const money = docs.body.components.schemas.AllocateFundBudgetRequest.properties.amountCny;
    expect(money.type).toBe('string');
  });

  it("serves the same OpenAPI JSON document at Nest's usual address, /api/docs-json, without a token", async () => {
    const [ui, nest] = await Promise.all([e2e.http().get('/api/docs/openapi.json'), e2e.http().get('/api/docs-json')]);
    expect(nest.status).toBe(200);
    expect(nest.headers['content-type']).toMatch(/^application\/json/);
    expect(nest.body.openapi).toMatch(/^3\./);
    expect(nest.body).toEqual(ui.body);
  });
});
