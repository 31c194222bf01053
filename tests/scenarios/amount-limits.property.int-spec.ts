import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayCheck } from '@cbec/audit';
import { AMOUNT_LIMITS, type AmountLimit, AmountAboveLimit, getPolicy, InvalidCustomsRows, Money } from '@cbec/domain';
import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { type AnyIntegrationEvent, IntegrationEventMapper } from '@cbec/messaging';
import { ALL_PROJECTIONS, readBeneficiaryTotals, readFundStatus, ReadModelDb } from '@cbec/projections';
import { readCaseRow } from '../../libs/projections/src/cases/get-case/get-case.query';
import { Scenario, uscc } from '../../libs/projections/src/testing/scenario';
import { ReportingDb } from '../../apps/reporting-consumer/src/reports/reporting-db';

/**
 * docs/limits.md, "Amounts": generated histories with amounts at, just under and past every limit, run
 * through the real deciders. Every command past a limit is refused (and stores nothing); everything the
 * others stored applies to every projection, to the reporting consumer's tables and to the audit
 * replay-check, and reads back exactly (each figure equal to the sum the model of the history expects).
 */

/** An amount around `limit`: at it, a few fen under or over it, an ordinary one, or one of 20-30 digits. */
const around = (limit: AmountLimit, scale = 1n): fc.Arbitrary<bigint> => {
  const max = limit.max.minor / scale;
  return fc.oneof(
    fc.constant(max),
    fc.bigInt({ min: 1n, max: 3n }).map((k) => max - k),
    fc.bigInt({ min: 1n, max: 3n }).map((k) => max + k),
    fc.bigInt({ min: 1n, max: 10_000_000n }),
    fc.bigInt({ min: 10n ** 20n, max: 10n ** 30n }),
  );
};
const text = (minor: bigint): string => Money.ofMinor(minor, 'CNY').toString();

interface History {
  appropriations: Array<{ year: number; minor: bigint }>;
  cases: Array<{ fees: bigint[]; requested: bigint | null; disburse: boolean }>;
  externalAwards: bigint[];
  customs: bigint[];
}

const history: fc.Arbitrary<History> = fc.record({
  // Halves of the year's limit, so that two or three of them meet or pass the limit of the year together.
  appropriations: fc.array(fc.record({ year: fc.constantFrom(2020, 2021), minor: around(AMOUNT_LIMITS.fundYearCny, 2n) }), { maxLength: 5 }),
  cases: fc.array(
    fc.record({
      fees: fc.array(around(AMOUNT_LIMITS.claimAmountCny, 2n), { minLength: 1, maxLength: 3 }),
      // null: what P2a computes from the fees (70%); else a request around the limit of a computed award.
      requested: fc.option(around(AMOUNT_LIMITS.computedAwardCny)),
      disburse: fc.boolean(),
    }),
    { maxLength: 3 },
  ),
  externalAwards: fc.array(around(AMOUNT_LIMITS.externalAwardCny), { maxLength: 2 }),
  customs: fc.array(around(AMOUNT_LIMITS.customsFigureUsd), { minLength: 1, maxLength: 3 }),
});

/** Runs `command`: refused with `refusal` when `refused`, storing nothing; otherwise taken. */
async function expectOutcome(store: InMemoryEventStore, refused: boolean, refusal: abstract new (...args: never[]) => Error, command: () => Promise<unknown>) {
  const head = await store.headPosition();
  if (!refused) return command();
  await expect(command()).rejects.toBeInstanceOf(refusal);
  expect(await store.headPosition()).toBe(head);
  return undefined;
}

describe('amounts at and past their limits, through every reader of the log', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-amount-limits-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let run = 0;
  it('refuses each command past a limit; all else applies to the projections, the reports and the replay-check, and reads back exactly', async () => {
    await fc.assert(
      fc.asyncProperty(history, async (h) => {
        const store = new InMemoryEventStore();
        const s = new Scenario(store);
        const fund = new Map<number, { minor: bigint; allocations: number }>();
        await s.allocate(2019, '1000000.00');

        // Appropriations: one, and the year's together, within the limit of a year.
        for (const { year, minor } of h.appropriations) {
          const before = fund.get(year) ?? { minor: 0n, allocations: 0 };
          const refused = minor > AMOUNT_LIMITS.fundYearCny.max.minor || before.minor + minor > AMOUNT_LIMITS.fundYearCny.max.minor;
          await expectOutcome(store, refused, AmountAboveLimit, () => s.allocate(year, text(minor)));
          if (!refused) fund.set(year, { minor: before.minor + minor, allocations: before.allocations + 1 });
        }

        // P2a cases: each fee, and the fees together, within the limits of a claim; the request within the
        // limit of a computed award.
        const awarded: Array<{ applicationId: string; uscc: string; amountCny: string; disbursed: boolean }> = [];
        for (const [i, c] of h.cases.entries()) {
          const applicationId = `case-${i}`;
          const total = c.fees.reduce((a, b) => a + b, 0n);
          const refused = c.fees.some((f) => f > AMOUNT_LIMITS.claimAmountCny.max.minor) || total > AMOUNT_LIMITS.claimFeesTotalCny.max.minor;
          const u = uscc(100 + i);
          const claims = { promotesOnThirdPartyPlatform: true, platformFeesCny: c.fees.map((f) => ({ amountCny: text(f), invoiceRef: `INV-${i}` })) };
          await expectOutcome(store, refused, AmountAboveLimit, () => s.submit(applicationId, 'P2a', u, { claims: claims as never }));
          if (refused) continue;
          await s.accept(applicationId);
          for (const unit of ['COM', 'CUS', 'PBC'] as const) await s.opinion(applicationId, unit);
          const requested = c.requested ?? (total * 70n) / 100n;
          if (requested === 0n) continue;
          const tooMuch = requested > AMOUNT_LIMITS.computedAwardCny.max.minor;
          await expectOutcome(store, tooMuch, AmountAboveLimit, () => s.approve(applicationId, text(requested)));
          if (tooMuch) continue;
          const amountCny = (await s.caseState(applicationId)).approval!.amountCny;
          if (c.disburse) await s.disburse(applicationId);
          awarded.push({ applicationId, uscc: u, amountCny, disbursed: c.disburse });
        }

        const externals: string[] = [];
        for (const [i, minor] of h.externalAwards.entries()) {
          const refused = minor > AMOUNT_LIMITS.externalAwardCny.max.minor;
          await expectOutcome(store, refused, AmountAboveLimit, () => s.recordExternalAward(uscc(100), 2019, `LSW-${i}`, text(minor)));
          if (!refused) externals.push(text(minor));
        }

        const figures = h.customs.map((minor) => Money.ofMinor(minor, 'USD').toString());
        const customsRefused = h.customs.some((minor) => minor > AMOUNT_LIMITS.customsFigureUsd.max.minor);
        await expectOutcome(store, customsRefused, InvalidCustomsRows, () =>
          s.importCustoms(
            2019,
            figures.map((f, i) => ({
              uscc: uscc(200 + i),
              export9610Usd: f,
              cbecImportUsd: f,
              cbecExportUsd: f,
              totalExportUsd: f,
              platformLocalOnlineTradeUsd: f,
            })),
          ),
        );

        const events: RecordedEvent[] = [];
        for await (const e of store.readAll()) events.push(e);

        // Every projection applies every stored event...
        const file = join(dir, `read-models-${++run}.db`);
        const rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
        try {
          expect((await rm.applyBatch(events)).failures).toEqual([]);
          // ...and reads back exactly what the history holds.
          for (const [year, expected] of fund) {
            expect(await readFundStatus(rm.reader, year)).toMatchObject({
              appropriationCny: text(expected.minor),
              availableCny: text(expected.minor),
              allocations: expected.allocations,
            });
          }
          const sum = (list: string[]): string => text(list.reduce((a, x) => a + Money.cny(x).minor, 0n));
          expect(await readFundStatus(rm.reader, 2019)).toMatchObject({
            committedCny: sum(awarded.map((a) => a.amountCny)),
            disbursedCny: sum(awarded.filter((a) => a.disbursed).map((a) => a.amountCny)),
          });
          for (const a of awarded) {
            const totals = await readBeneficiaryTotals(rm.reader, getPolicy(), a.uscc, 2019);
            expect(totals.awards.map((x) => [x.applicationId, x.amountCny, x.disbursedCny])).toEqual([
              [a.applicationId, a.amountCny, a.disbursed ? a.amountCny : '0.00'],
            ]);
            expect(await readCaseRow(rm.reader, a.applicationId)).toMatchObject({
              status: a.disbursed ? 'disbursed' : 'approved',
              award_cny: Money.cny(a.amountCny).minor,
            });
          }
          expect((await readBeneficiaryTotals(rm.reader, getPolicy(), uscc(100), 2019)).externalAwards.map((x) => x.amountCny)).toEqual(externals);
        } finally {
          await rm.close();
        }

        // The reporting consumer applies the contract events of the same log and sums them exactly.
        const mapper = new IntegrationEventMapper(store);
        const contract: AnyIntegrationEvent[] = [];
        for (const e of events) {
          const m = await mapper.map(e);
          if (m) contract.push(m);
        }
        const reports = new ReportingDb(':memory:');
        try {
          await reports.applyBatch(contract, { kind: 'sse', feed: 'property', globalPosition: events[events.length - 1].globalPosition });
          const funds = reports.funds();
          for (const [year, expected] of fund) expect(funds).toContainEqual(expect.objectContaining({ year, appropriatedCny: text(expected.minor) }));
          const approvedFen = reports.awards().reduce((a, r) => a + Money.cny(String(r.approvedCny)).minor, 0n);
          expect(text(approvedFen)).toBe(text(awarded.reduce((a, x) => a + Money.cny(x.amountCny).minor, 0n)));
        } finally {
          await reports.close();
        }

        // The audit replay-check rebuilds the same read models from the log and finds them equal.
        const check = await replayCheck(store, file);
        expect({ ok: check.ok, differences: check.differences, failures: check.failures }).toEqual({ ok: true, differences: [], failures: [] });
      }),
      { numRuns: 40 },
    );
  });
});
