import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { AnyIntegrationEvent, INTEGRATION_EVENT_TYPES, IntegrationEventType } from '../contract/integration-events';
import { allIntegrationEventSchemas } from '../contract/integration-event.schemas';
import { schemaFileText, SCHEMA_DIR } from '../contract/write-schemas';
import { toKafkaMessage } from '../kafka/kafka-message';
import {
  appendAll,
  caseLifecycle,
  caseSpec,
  caseWithSequels,
  deterministicUuid,
  recheckedCase,
  scenario,
  usccFor,
  withdrawnCase,
} from '../testing/case-lifecycle.fixture';
import { IntegrationEventMapper } from './integration-event-mapper';
import { isPublished, MissingCaseFacts } from './to-integration-event';

const ROOT = join(__dirname, '../../../..');

function validatorFor() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const schemas = allIntegrationEventSchemas();
  const validators = Object.fromEntries(INTEGRATION_EVENT_TYPES.map((t) => [t, ajv.compile(schemas[t])]));
  return (event: AnyIntegrationEvent) => {
    const validate = validators[event.type];
    if (!validate) return `no schema for ${event.type}`;
    return validate(event) ? null : ajv.errorsText(validate.errors);
  };
}

async function publishedFrom(store: InMemoryEventStore, from = 0): Promise<AnyIntegrationEvent[]> {
  const mapper = new IntegrationEventMapper(store);
  const out: AnyIntegrationEvent[] = [];
  for await (const e of store.readAll({ fromPosition: from })) {
    const mapped = await mapper.map(e);
    if (mapped) out.push(mapped);
  }
  return out;
}

const extraEvents = (seed: string) => {
  const uscc = usccFor('341522', 999);
  const meta = {
    correlationId: deterministicUuid(seed, 'x'),
    causationId: null,
    commandId: null,
    actor: { user: 'u', unit: 'CUS', role: 'officer' },
    occurredAt: '2020-03-01T08:00:00.000Z',
    policyVersion: null,
  };
  return [
    {
      streamId: 'customs-2019',
      event: {
        eventId: deterministicUuid(seed, 'rev'),
        type: 'CustomsStatisticsRevised',
        data: {
          year: 2019,
          uscc,
          name: '霍邱县某某公司',
          export9610Usd: '1.5',
          cbecImportUsd: '0',
          cbecExportUsd: '2.00',
          totalExportUsd: '3.00',
          platformLocalOnlineTradeUsd: '7.00',
          batchId: 'b2',
          rowIndex: 3,
          previous: {
            name: '霍邱县某某公司',
            export9610Usd: '1.00',
            cbecImportUsd: '0.00',
            cbecExportUsd: '2.00',
            totalExportUsd: '3.00',
            platformLocalOnlineTradeUsd: null,
          },
          previousEventIndex: 0,
        },
        metadata: meta,
      },
    },
    {
      // A file whose figures were all in force: bookkeeping of the customs stream, not a reporting fact.
      streamId: 'customs-2019',
      event: { eventId: deterministicUuid(seed, 'same'), type: 'CustomsBatchUnchanged', data: { year: 2019, batchId: 'b3', rows: 4 }, metadata: meta },
    },
    {
      streamId: 'fund-2019',
      event: {
        eventId: deterministicUuid(seed, 'rel'),
        type: 'FundCommitmentReleased',
        data: { year: 2019, commitmentId: 'c-9', applicationId: 'a-9', amountCny: '100', reason: 'approval failed: 张三' },
        metadata: { ...meta, actor: { user: 'system', unit: 'COM', role: 'officer' } },
      },
    },
  ];
};

describe('the integration-event contract', () => {
  describe('given a log of whole cases of every outcome, plus a customs revision, a customs batch that changed nothing and a released commitment', () => {
    let events: AnyIntegrationEvent[];
    const store = new InMemoryEventStore();

    beforeAll(async () => {
      await appendAll(store, [
        ...scenario('contract', 10),
        ...extraEvents('contract'),
        ...caseWithSequels('contract', 10),
        ...withdrawnCase('contract', 11),
        ...recheckedCase('contract', 12),
      ]);
      events = await publishedFrom(store);
    });

    it('maps every published message to a document that validates against the JSON Schema of its type', () => {
      const validate = validatorFor();
      const failures = events.map((e) => [e.type, e.globalPosition, validate(e)]).filter(([, , err]) => err !== null);
      expect(failures).toEqual([]);
      expect(events.length).toBeGreaterThan(50);
    });

    it('produces every type of the contract, so every schema is exercised', () => {
      const produced = new Set(events.map((e) => e.type));
      expect(INTEGRATION_EVENT_TYPES.filter((t) => !produced.has(t))).toEqual([]);
    });

    it('publishes no domain event outside the contract (reservations, objections, readiness, customs batch records)', async () => {
      const all: RecordedEvent[] = [];
      for await (const e of store.readAll()) all.push(e);
      const unpublished = all.filter((e) => !isPublished(e.type));
      expect(new Set(unpublished.map((e) => e.type))).toEqual(
        new Set(['AwardReserved', 'ReservationConfirmed', 'ApplicationObjected', 'ApplicationReadyForDecision', 'CustomsBatchUnchanged']),
      );
      expect(events.length).toBe(all.length - unpublished.length);
    });

    it('leaves out personal data: names, comments, authors, reasons and payment references', () => {
      const text = JSON.stringify(events);
      for (const leak of [
        '测试企业',
        '某某公司',
        '张三',
        'reviewer',
        'BANK-REF',
        '材料不全',
        '海关数据不符',
        '异议不成立',
        '补发依据不足',
        'applicant-',
        'head-1',
        'officer-1',
      ]) {
        expect({ leak, found: text.includes(leak) }).toEqual({ leak, found: false });
      }
    });

    it('repeats the case facts on every case event, with the county taken from the USCC', () => {
      const spec = caseSpec('contract', 0);
      const disbursed = events.find((e) => e.type === 'AwardDisbursed.v1' && e.data.uscc === spec.uscc);
      expect(disbursed?.data).toEqual({
        applicationId: deterministicUuid('contract', 'case', 0),
        program: spec.program,
        year: spec.year,
        uscc: spec.uscc,
        county: spec.county,
        amountCny: spec.amountCny,
      });
    });

    it('publishes the head’s decision on an objected 补发 with the unit that objected, never the reason or who decided', () => {
      const spec = caseSpec('contract', 12);
      const facts = { applicationId: deterministicUuid('contract', 'case', 12), program: spec.program, year: spec.year, uscc: spec.uscc, county: spec.county };
      const decisions = events.filter((e) => e.type === 'SupplementObjectionOverruled.v1' || e.type === 'SupplementaryAwardRefused.v1');
      expect(decisions.map((e) => [e.type, e.data])).toEqual([
        ['SupplementObjectionOverruled.v1', { ...facts, supplementId: 'sup-1', objectedBy: 'CUS' }],
        ['SupplementaryAwardRefused.v1', { ...facts, supplementId: 'sup-2', objectedBy: 'PBC' }],
      ]);
    });

    it('writes money with exactly two decimals whatever the domain event held', () => {
      const revised = events.find((e) => e.type === 'CustomsStatisticsRevised.v1');
      expect(revised?.data).toMatchObject({ export9610Usd: '1.50', cbecImportUsd: '0.00', previous: { platformLocalOnlineTradeUsd: null } });
      const released = events.find((e) => e.type === 'FundCommitmentReleased.v1');
      expect(released?.data).toEqual({ year: 2019, applicationId: 'a-9', commitmentId: 'c-9', amountCny: '100.00' });
    });

    it('carries the envelope identifiers from the store, and the Kafka record repeats them in headers keyed by stream', () => {
      const e = events[5];
      const record = toKafkaMessage(e);
      expect(record.key).toBe(e.streamId);
      expect(JSON.parse(record.value)).toEqual(e);
      expect(record.headers).toMatchObject({
        'event-id': e.eventId,
        'event-type': e.type,
        'schema-version': '1',
        'stream-id': e.streamId,
        'stream-version': String(e.streamVersion),
        'global-position': String(e.globalPosition),
        'correlation-id': e.correlationId,
      });
    });
  });

  it('finds the case facts in the store when a subscriber starts after the submission', async () => {
    const store = new InMemoryEventStore();
    const appends = caseLifecycle(caseSpec('late', 1));
    await appendAll(store, appends);
    const submittedAt = appends.findIndex((a) => a.event.type === 'ApplicationSubmitted') + 1;
    const late = await publishedFrom(store, submittedAt);
    expect(late[0].type).toBe('ApplicationAccepted.v1');
    const caseEvents = late.filter((e) => e.streamId.startsWith('application-'));
    expect(caseEvents.length).toBeGreaterThan(4);
    expect(caseEvents.map((e) => 'program' in e.data && e.data.program)).toEqual(caseEvents.map(() => 'P2a'));
  });

  it('refuses to guess when a case event has no submission: MissingCaseFacts names the event', async () => {
    const store = new InMemoryEventStore();
    const appends = caseLifecycle(caseSpec('orphan', 2)).filter((a) => a.event.type !== 'ApplicationSubmitted');
    await appendAll(store, appends);
    const mapper = new IntegrationEventMapper(store);
    const events: RecordedEvent[] = [];
    for await (const e of store.readAll()) events.push(e);
    const accepted = events.find((e) => e.type === 'CaseAccepted')!;
    await expect(mapper.map(accepted)).rejects.toThrow(MissingCaseFacts);
    await expect(mapper.map(accepted)).rejects.toThrow(/CaseAccepted at global position \d+/);
  });

  it('keeps the schema files in docs/integration-events identical to the contract in code', () => {
    const schemas = allIntegrationEventSchemas();
    for (const type of Object.keys(schemas) as IntegrationEventType[]) {
      const onDisk = readFileSync(join(ROOT, SCHEMA_DIR, `${type}.schema.json`), 'utf8');
      expect({ type, same: onDisk === schemaFileText(schemas[type]) }).toEqual({ type, same: true });
    }
  });
});
