import Ajv2020 from 'ajv/dist/2020';
import type { AddressInfo } from 'node:net';
import type { RecordedEvent } from '@cbec/event-store';
import { csv, E2eApp, luanUscc, startApp } from '../../e2e/support/e2e-app';
import { accept, allApprove, appropriate, importCsv, p2aSubmission, submit } from '../../e2e/support/flows';
import { ReportingDb } from '../../../apps/reporting-consumer/src/reports/reporting-db';
import { SseReportSource } from '../../../apps/reporting-consumer/src/sources/sse-report-source';
import { AnyIntegrationEvent, INTEGRATION_EVENT_TYPES } from '../../../libs/messaging/src/contract/integration-events';
import { allIntegrationEventSchemas } from '../../../libs/messaging/src/contract/integration-event.schemas';
import { waitFor } from '../../../libs/messaging/src/testing/kafka-test-kit';
import { IntegrationEventMapper } from '../../../libs/messaging/src/mapping/integration-event-mapper';
import { isPublished } from '../../../libs/messaging/src/mapping/to-integration-event';

/**
 * The contract against the events the real workflow service writes (not fixtures): cases carried
 * through the HTTP API, then every stored event mapped, validated against its schema, and read by the
 * reporting consumer over the app's own feed with a real department token.
 */

jest.setTimeout(60_000);

const PAID = luanUscc(9101);
const REJECTED = luanUscc(9102);
const RETURNED = luanUscc(9103);

describe('the integration events of the real workflow service', () => {
  let e2e: E2eApp;
  let stored: RecordedEvent[];
  let published: AnyIntegrationEvent[];

  beforeAll(async () => {
    e2e = await startApp();
    const rows = [PAID, REJECTED, RETURNED].flatMap((u, i) => [
      `2018,${u},平台企业${i}号,0.00,0.00,0.00,1000000.00,`,
      `2019,${u},平台企业${i}号,0.00,0.00,0.00,1100000.00,`,
    ]);
    expect((await importCsv(e2e, csv(...rows))).status).toBe(201);
    await appropriate(e2e, 2019, '5000000.00');

    const paid = await submit(e2e, p2aSubmission(PAID));
    await accept(e2e, paid);
    await allApprove(e2e, paid);
    const approval = await e2e.http().post(`/api/v1/applications/${paid}/approval`).set(e2e.auth('FIN', 'head')).send({});
    expect(approval.status).toBe(201);
    e2e.clock.advanceDays(8); // past the 公示 (5 working days)
    const payment = await e2e.http().post(`/api/v1/applications/${paid}/disbursement`).set(e2e.auth('FIN', 'officer')).send({ paymentRef: 'BOC-2020-000123' });
    expect(payment.status).toBe(201);

    const rejected = await submit(e2e, p2aSubmission(REJECTED));
    await accept(e2e, rejected);
    const objection = await e2e
      .http()
      .post(`/api/v1/applications/${rejected}/opinions`)
      .set(e2e.auth('CUS', 'officer'))
      .send({ verdict: 'reject', comment: '张三: 报关单与申报不符' });
    expect(objection.status).toBe(201);
    const rejection = await e2e
      .http()
      .post(`/api/v1/applications/${rejected}/rejection`)
      .set(e2e.auth('FIN', 'officer'))
      .send({ reason: '申报材料与海关数据不符' });
    expect(rejection.status).toBe(201);

    const returned = await submit(e2e, p2aSubmission(RETURNED));
    const ret = await e2e.http().post(`/api/v1/applications/${returned}/return`).set(e2e.auth('FIN', 'officer')).send({ reason: '缺少发票' });
    expect(ret.status).toBe(201);
    const resub = await e2e
      .http()
      .post(`/api/v1/applications/${returned}/resubmission`)
      .set(e2e.auth('APPLICANT', 'applicant', RETURNED))
      .send({ claims: p2aSubmission(RETURNED).claims });
    expect(resub.status).toBe(201);

    stored = [];
    for await (const e of e2e.store.readAll()) stored.push(e);
    const mapper = new IntegrationEventMapper(e2e.store);
    published = [];
    for (const e of stored) {
      const m = await mapper.map(e);
      if (m) published.push(m);
    }
  });

  afterAll(async () => {
    await e2e?.close();
  });

  it('maps every published event the workflow wrote to a message that validates against its JSON Schema', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const schemas = allIntegrationEventSchemas();
    const validators = Object.fromEntries(INTEGRATION_EVENT_TYPES.map((t) => [t, ajv.compile(schemas[t])]));
    const invalid = published
      .map((e) => ({ type: e.type, ok: (validators[e.type] as (x: unknown) => boolean)(e), errors: validators[e.type].errors }))
      .filter((r) => !r.ok);
    expect(invalid).toEqual([]);
    expect(published.length).toBe(stored.filter((e) => isPublished(e.type)).length);
    expect(new Set(published.map((e) => e.type))).toEqual(
      new Set([
        'CustomsStatisticsImported.v1',
        'FundBudgetAllocated.v1',
        'ApplicationSubmitted.v1',
        'ApplicationAccepted.v1',
        'ReviewOpinionRecorded.v1',
        'FundsCommitted.v1',
        // With its publicity (公示): v2.
        'AwardApproved.v2',
        'FundPaymentRecorded.v1',
        'AwardDisbursed.v1',
        'ApplicationRejected.v1',
        'ApplicationReturned.v1',
        'ApplicationResubmitted.v1',
      ]),
    );
  });

  it('publishes none of the names, comments, reasons, payment references or user ids the workflow stored', () => {
    const text = JSON.stringify(published);
    for (const leak of ['平台企业', '张三', '报关单', '申报材料', '缺少发票', 'BOC-2020-000123', 'fin-head', 'fin-officer', 'cus-officer']) {
      expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
    }
  });

  it('serves the same documents on GET /api/v1/events/stream to a department token, which the reporting consumer turns into its tables', async () => {
    await e2e.app.listen(0, '127.0.0.1');
    const feed = `http://127.0.0.1:${(e2e.app.getHttpServer().address() as AddressInfo).port}/api/v1/events/stream`;
    const applicant = await fetch(feed, { headers: e2e.auth('APPLICANT', 'applicant', PAID) });
    expect(applicant.status).toBe(403);
    expect((await fetch(feed)).status).toBe(401);

    const db = new ReportingDb(':memory:');
    const token = e2e.auth('COM', 'officer').Authorization.slice('Bearer '.length);
    const source = new SseReportSource(db, { feedUrl: feed, token }, { info: () => undefined, warn: (m) => console.warn(m), error: (m) => console.error(m) });
    await source.start();
    await waitFor('the consumer to read the feed', () => db.processedCount() === published.length, 10_000);
    await source.stop();
    expect(db.throughput()).toEqual([
      { program: 'P2a', year: 2019, submitted: 3, resubmitted: 1, accepted: 2, returned: 1, approved: 1, rejected: 1, disbursed: 1 },
    ]);
    const award = published.find((e) => e.type === 'AwardApproved.v2')!;
    expect((award.data as { publicity: unknown }).publicity).toEqual({ from: '2020-03-02', until: '2020-03-09', workingDays: 5 });
    expect(db.awards()).toEqual([
      {
        program: 'P2a',
        county: '341502',
        year: 2019,
        approvedCount: 1,
        approvedCny: (award.data as { amountCny: string }).amountCny,
        disbursedCount: 1,
        disbursedCny: (award.data as { amountCny: string }).amountCny,
      },
    ]);
    db.close();
  });
});
