import fc from 'fast-check';
import { Money } from '../shared/money';
import { AwardRecord, limitByLedger } from './ledger-rules';
import { articleOf, ledgerTerms, LZB_2019_4, Policy } from './policy';
import { PROGRAM_IDS, ProgramId } from './programs';

// Variants stress different rules: the policy as written; P1 yearly; annual programs limited by caps
// only, so that several awards for one year must add up under each cap.
const CAPS_ONLY: Policy = {
  ...LZB_2019_4,
  version: 'TEST-CAPS-ONLY',
  p2a: { ...LZB_2019_4.p2a, oncePer: null },
  p2b: { ...LZB_2019_4.p2b, oncePer: null },
  p3a: { ...LZB_2019_4.p3a, oncePer: null },
  p3b: { ...LZB_2019_4.p3b, oncePer: null },
};
const P1_YEARLY: Policy = { ...LZB_2019_4, version: 'TEST-P1-YEARLY', p1: { ...LZB_2019_4.p1, oncePer: 'beneficiary-year' } };
const POLICIES = [LZB_2019_4, CAPS_ONLY, P1_YEARLY];

const request = fc.record({
  program: fc.constantFrom<ProgramId>(...PROGRAM_IDS),
  year: fc.integer({ min: 2017, max: 2023 }),
  // Up to ¥300,000.00 in fen, biased towards small amounts and exact cap values.
  fen: fc.oneof(fc.bigInt({ min: 0n, max: 30_000_000n }), fc.constantFrom(1n, 10_000_000n, 20_000_000n, 9_999_999n, 10_000_001n)),
});

/** Replays requests through the ledger rule, recording every award it allows, as the ledger aggregate does. */
function replay(policy: Policy, requests: { program: ProgramId; year: number; fen: bigint }[]): AwardRecord[] {
  const history: AwardRecord[] = [];
  for (const r of requests) {
    const requested = Money.ofMinor(r.fen, 'CNY');
    const check = limitByLedger(policy, r.program, r.year, requested, history);
    if (check.ok) {
      expect(check.amount.lte(requested)).toBe(true);
      if (!requested.isZero()) expect(check.amount.isZero()).toBe(false);
      if (!check.amount.isZero()) history.push({ program: r.program, year: r.year, amountCny: check.amount, ref: `a${history.length}` });
    }
  }
  return history;
}

const sum = (records: AwardRecord[]) => records.reduce((s, r) => s.add(r.amountCny), Money.zero('CNY'));

describe('limitByLedger over random award histories', () => {
  it('never lets a sequence of awards cross a program cap or an article cap', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), fc.array(request, { maxLength: 40 }), (policy, requests) => {
        const history = replay(policy, requests);
        for (const year of new Set(history.map((h) => h.year))) {
          const ofYear = history.filter((h) => h.year === year);
          for (const program of PROGRAM_IDS) {
            const cap = ledgerTerms(policy, program).annualCapCny;
            if (cap) expect(sum(ofYear.filter((h) => h.program === program)).lte(cap)).toBe(true);
            const { params } = articleOf(policy, program);
            if (params.annualCapCny) {
              expect(sum(ofYear.filter((h) => params.programs.includes(h.program))).lte(params.annualCapCny)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never pays a one-time award twice', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), fc.array(request, { maxLength: 40 }), (policy, requests) => {
        const history = replay(policy, requests);
        for (const program of PROGRAM_IDS) {
          const { oncePer } = ledgerTerms(policy, program);
          const awards = history.filter((h) => h.program === program);
          if (oncePer === 'beneficiary') expect(awards.length).toBeLessThanOrEqual(1);
          if (oncePer === 'beneficiary-year') expect(new Set(awards.map((a) => a.year)).size).toBe(awards.length);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never awards P3a outside its consecutive-year period', () => {
    fc.assert(
      fc.property(fc.constantFrom(...POLICIES), fc.array(request, { maxLength: 40 }), (policy, requests) => {
        const years = replay(policy, requests)
          .filter((h) => h.program === 'P3a')
          .map((h) => h.year);
        if (years.length > 0) expect(Math.max(...years) - Math.min(...years)).toBeLessThan(policy.p3a.periodYears!);
      }),
      { numRuns: 2000 },
    );
  });

  it('awards the full request whenever it fits under every cap', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10_000_000n }), (fen) => {
        const requested = Money.ofMinor(fen, 'CNY');
        const check = limitByLedger(LZB_2019_4, 'P2a', 2019, requested, []);
        expect(check.ok && check.amount.equals(requested) && check.capApplied === null).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
