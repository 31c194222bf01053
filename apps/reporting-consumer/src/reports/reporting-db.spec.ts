import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnyIntegrationEvent, IntegrationEventMapper } from '@cbec/messaging';
import { InMemoryEventStore } from '@cbec/event-store';
import { appendAll, caseSpec, scenario } from '../../../../libs/messaging/src/testing/case-lifecycle.fixture';
import { toCsv } from '../http/csv';
import { fen, fenToDecimal } from './report-changes';
import { ReportingDb } from './reporting-db';

async function contractEvents(seed: string, cases: number): Promise<AnyIntegrationEvent[]> {
  const store = new InMemoryEventStore();
  await appendAll(store, scenario(seed, cases));
  const mapper = new IntegrationEventMapper(store);
  const out: AnyIntegrationEvent[] = [];
  for await (const e of store.readAll()) {
    const m = await mapper.map(e);
    if (m) out.push(m);
  }
  return out;
}

describe('the report tables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reporting-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('given the contract events of 10 cases (disbursed, approved after an overdue review, rejected, returned then disbursed)', () => {
    let events: AnyIntegrationEvent[];
    beforeAll(async () => {
      events = await contractEvents('reports', 10);
    });

    it('counts awards by program, county and year, and the throughput per program and year', () => {
      const db = new ReportingDb(join(dir, 'r.db'));
      db.applyBatch(events, { kind: 'sse', feed: 'f', globalPosition: events[events.length - 1].globalPosition });
      const specs = Array.from({ length: 10 }, (_, i) => caseSpec('reports', i));
      const approved = specs.filter((s) => s.outcome !== 'rejected');
      const disbursed = specs.filter((s) => s.outcome === 'disbursed' || s.outcome === 'returned-then-disbursed');
      const awards = db.awards();
      expect(awards.reduce((n, r) => n + Number(r.approvedCount), 0)).toBe(approved.length);
      expect(awards.reduce((n, r) => n + Number(r.disbursedCount), 0)).toBe(disbursed.length);
      const first = specs[0];
      expect(awards).toContainEqual(
        expect.objectContaining({ program: first.program, county: first.county, year: first.year, approvedCount: 1, approvedCny: first.amountCny }),
      );
      const throughput = db.throughput();
      const total = (col: string) => throughput.reduce((n, r) => n + Number(r[col]), 0);
      expect({
        submitted: total('submitted'),
        approved: total('approved'),
        rejected: total('rejected'),
        disbursed: total('disbursed'),
        returned: total('returned'),
      }).toEqual({
        submitted: 10,
        approved: approved.length,
        rejected: specs.filter((s) => s.outcome === 'rejected').length,
        disbursed: disbursed.length,
        returned: specs.filter((s) => s.outcome === 'returned-then-disbursed').length,
      });
      db.close();
    });

    it('sets fund commitments against payments per year, in exact money', () => {
      const db = new ReportingDb(join(dir, 'r.db'));
      db.applyBatch(events, { kind: 'sse', feed: 'f', globalPosition: 1 });
      const specs = Array.from({ length: 10 }, (_, i) => caseSpec('reports', i));
      const sum = (year: number, pred: (o: string) => boolean) =>
        fenToDecimal(specs.filter((s) => s.year === year && pred(s.outcome)).reduce((n, s) => n + fen(s.amountCny), 0));
      expect(db.funds().find((f) => f.year === 2019)).toMatchObject({
        appropriatedCny: '5000000.00',
        committedCny: sum(2019, (o) => o !== 'rejected'),
        paidCny: sum(2019, (o) => o === 'disbursed' || o === 'returned-then-disbursed'),
      });
      db.close();
    });

    it('lists the overdue reviews and marks those answered late', () => {
      const db = new ReportingDb(join(dir, 'r.db'));
      db.applyBatch(events, { kind: 'sse', feed: 'f', globalPosition: 1 });
      const overdue = db.overdue();
      expect(overdue.length).toBe(2);
      expect(overdue.every((o) => o.unit === 'CUS' && o.answeredAt !== null && o.open === 0)).toBe(true);
      db.close();
    });

    it('counts each event once however often it is delivered, and ends equal to a single delivery', () => {
      const once = new ReportingDb(join(dir, 'once.db'));
      once.applyBatch(events, { kind: 'kafka', topic: 't', partition: 0, nextOffset: events.length });
      const twice = new ReportingDb(join(dir, 'twice.db'));
      const half = Math.floor(events.length / 2);
      expect(twice.applyBatch(events.slice(0, half + 7), { kind: 'kafka', topic: 't', partition: 0, nextOffset: half + 7 })).toEqual({
        applied: half + 7,
        duplicates: 0,
      });
      expect(twice.applyBatch(events.slice(half), { kind: 'kafka', topic: 't', partition: 0, nextOffset: events.length })).toEqual({
        applied: events.length - half - 7,
        duplicates: 7,
      });
      expect(twice.snapshot()).toEqual(once.snapshot());
      expect(twice.kafkaOffsets('t')).toEqual(new Map([[0, events.length]]));
      once.close();
      twice.close();
    });
  });

  it('the sequels report counts the rechecks (复核) by outcome, the awards lowered in place, the supplementary awards (补发), the head’s decisions on objected ones and the 免申 cases', () => {
    const db = new ReportingDb(join(dir, 'r.db'));
    const ref = { applicationId: 'a-1', program: 'P2b' as const, year: 2019, uscc: '91341502MA2010017C', county: '341502' };
    let n = 0;
    const event = <T extends AnyIntegrationEvent['type']>(type: T, data: Record<string, unknown>): AnyIntegrationEvent =>
      ({
        eventId: `e-${++n}`,
        type,
        schemaVersion: 1,
        occurredAt: '2020-03-10T01:00:00.000Z',
        streamId: 'application-a-1',
        streamVersion: n,
        globalPosition: n,
        correlationId: 'c',
        data: { ...ref, ...data },
      }) as unknown as AnyIntegrationEvent;
    db.applyBatch(
      [
        event('ProactiveCaseOpened.v1', { declarationsPending: [] }),
        event('RecheckRequired.v1', { approvedCny: '8000.00', revisedCny: '4000.00', flaggedOn: '2020-03-10' }),
        event('RecheckRecorded.v1', { outcome: 'lower', approvedCny: '8000.00', revisedCny: '4000.00', differenceCny: '4000.00' }),
        event('AwardLowered.v1', { fromCny: '8000.00', toCny: '4000.00', differenceCny: '4000.00' }),
        event('RecheckRequired.v1', { approvedCny: '4000.00', revisedCny: '6000.00', flaggedOn: '2020-03-11' }),
        event('RecheckRecorded.v1', { outcome: 'higher', approvedCny: '4000.00', revisedCny: '6000.00', differenceCny: '2000.00' }),
        event('SupplementObjectionOverruled.v1', { supplementId: 's-1', objectedBy: 'CUS' }),
        event('SupplementaryAwardApproved.v1', { supplementId: 's-1', amountCny: '2000.00', totalCny: '6000.00' }),
        event('RecheckRecorded.v1', { outcome: 'higher', approvedCny: '6000.00', revisedCny: '7000.00', differenceCny: '1000.00' }),
        event('SupplementaryAwardRefused.v1', { supplementId: 's-2', objectedBy: 'PBC' }),
      ],
      { kind: 'sse', feed: 'f', globalPosition: 10 },
    );
    expect(db.sequels()).toEqual([
      expect.objectContaining({
        program: 'P2b',
        county: '341502',
        year: 2019,
        rechecksFlagged: 2,
        rechecksLower: 1,
        rechecksHigher: 2,
        rechecksUnchanged: 0,
        loweredCny: '4000.00',
        supplementsApproved: 1,
        supplementApprovedCny: '2000.00',
        supplementObjectionsOverruled: 1,
        supplementsRefused: 1,
        proactiveOpened: 1,
      }),
    ]);
    db.close();
  });

  it('never moves a stored offset backwards when an older batch is delivered again', () => {
    const db = new ReportingDb(join(dir, 'r.db'));
    db.applyBatch([], { kind: 'kafka', topic: 't', partition: 2, nextOffset: 40 });
    db.applyBatch([], { kind: 'kafka', topic: 't', partition: 2, nextOffset: 12 });
    expect(db.kafkaOffsets('t').get(2)).toBe(40);
    db.close();
  });

  it('reports sums of fen above 2^53 exactly (two appropriations of one year adding up to 10^16 + 1 fen)', async () => {
    const [allocated] = (await contractEvents('big', 1)).filter((e) => e.type === 'FundBudgetAllocated.v1');
    const allocation = (eventId: string, amountCny: string): AnyIntegrationEvent =>
      ({ ...allocated, eventId, data: { ...allocated.data, year: 2099, amountCny } }) as AnyIntegrationEvent;
    const db = new ReportingDb(join(dir, 'r.db'));
    db.applyBatch([allocation('e-1', '50000000000000.01'), allocation('e-2', '50000000000000.00')], { kind: 'sse', feed: 'f', globalPosition: 2 });
    expect(db.funds()).toContainEqual(expect.objectContaining({ year: 2099, appropriatedCny: '100000000000000.01', availableCny: '100000000000000.01' }));
    db.close();
  });

  it('refuses an amount that is not a contract amount instead of adding a float', () => {
    expect(() => fen('12.5')).toThrow(/not a contract amount/);
    expect(fen('12345.67')).toBe(1234567);
    expect(fenToDecimal(5)).toBe('0.05');
  });

  it('writes CSV with a header and quotes fields that need it', () => {
    expect(toCsv([{ a: 'x,y', b: 1, c: null }], ['a', 'b', 'c'])).toBe('a,b,c\r\n"x,y",1,\r\n');
  });
});
