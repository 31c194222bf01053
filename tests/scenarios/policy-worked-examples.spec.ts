import { evaluate, evaluationToJson, evolveAll, fundDecider, FundEvent, FundOverCommitted } from '@cbec/domain';
import { ENTERPRISE, p1Case, p2aCase, p2bCase, p3aCase, p3bCase, p4Case } from '../../libs/domain/src/policy/testing/case-json';

// docs/policy.md, "Worked examples (each is a test the project must pass)". Each case goes through the strict
// JSON parser, exactly as `npm run cli -- evaluate` and the API receive it.
const run = (json: unknown) => evaluationToJson(evaluate(json));

describe('docs/policy.md worked examples under LZB-2019-4', () => {
  it('E1: P1 with 9610 exports of US$50,000.00 is eligible for ¥50,000.00', () => {
    const out = run(p1Case('50000.00'));
    expect(out).toMatchObject({ program: 'P1', eligible: true, amountCny: '50000.00', computedCny: '50000.00', capApplied: null, reasons: [] });
    expect(out.policyVersion).toBe('LZB-2019-4');
  });

  it('E2: P1 with 9610 exports of US$49,999.99 is not eligible', () => {
    const out = run(p1Case('49999.99'));
    expect(out).toMatchObject({ eligible: false, amountCny: '0.00', reasons: ['below-threshold'] });
  });

  it('E3: P1 again in a later year for an enterprise already awarded P1 is refused: already awarded', () => {
    const out = run(p1Case('80000.00', { history: [{ program: 'P1', year: 2018, amountCny: '50000.00', ref: 'application-7' }] }));
    expect(out).toMatchObject({ eligible: false, amountCny: '0.00', computedCny: '50000.00', reasons: ['already-awarded'] });
    expect(out.trace.some((t) => t.source === 'award:application-7')).toBe(true);
  });

  it('E4: P2a with exactly 10% growth and fees ¥120,000 + ¥30,000 computes ¥105,000.00, capped at ¥100,000.00', () => {
    const out = run(p2aCase(['1000000.00', '1100000.00'], ['120000.00', '30000.00']));
    expect(out).toMatchObject({ eligible: true, computedCny: '105000.00', amountCny: '100000.00', capApplied: 'P2a-annual-cap' });
  });

  it('E5: P2a with 9.99% growth, not manufacturing, is not eligible', () => {
    const out = run(p2aCase(['1000000.00', '1099900.00'], ['120000.00']));
    expect(out).toMatchObject({ eligible: false, amountCny: '0.00', reasons: ['growth-below-threshold'] });
  });

  it('E6: P2b with trade US$200,000.00 -> US$349,999.99 counts 2 whole steps: ¥4,000.00', () => {
    const out = run(p2bCase('200000.00', '349999.99'));
    expect(out).toMatchObject({ eligible: true, amountCny: '4000.00', computedCny: '4000.00', capApplied: null });
    expect(out.trace).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'USD 149999.99' }), expect.objectContaining({ value: '2' })]));
  });

  it('E7: P2b for an enterprise with no trade recorded in Y-1 is not eligible (new enterprise)', () => {
    const out = run(p2bCase(null, '349999.99'));
    expect(out).toMatchObject({ eligible: false, reasons: ['new-enterprise'] });
  });

  it('E8: P2b computing ¥240,000.00 after ¥100,000.00 of P2a for Y is approved at ¥100,000.00 with the article cap recorded', () => {
    const out = run(p2bCase('1000000.00', '7000000.00', [{ program: 'P2a', year: 2019, amountCny: '100000.00' }]));
    expect(out).toMatchObject({ eligible: true, computedCny: '240000.00', amountCny: '100000.00', capApplied: 'article-四（二）-annual-cap' });
  });

  it('E9: P3a with ¥600,000.00 invested and all conditions met computes ¥240,000.00, capped at ¥200,000.00', () => {
    const out = run(p3aCase({ investmentCny: '600000.00' }));
    expect(out).toMatchObject({ eligible: true, computedCny: '240000.00', amountCny: '200000.00', capApplied: 'P3a-annual-cap' });
  });

  it('E10: P3a for a platform serving 9 enterprises is not eligible', () => {
    const out = run(p3aCase({ served: 9 }));
    expect(out).toMatchObject({ eligible: false, reasons: ['too-few-served-enterprises'] });
  });

  it('E11: P3a in a fourth consecutive year is not eligible (period over)', () => {
    const history = [2016, 2017, 2018].map((year) => ({ program: 'P3a', year, amountCny: '200000.00' }));
    const out = run(p3aCase({ year: 2019, history }));
    expect(out).toMatchObject({ eligible: false, reasons: ['period-over'] });
  });

  it('E12: P3b with 25 qualifying recruits computes ¥250,000.00, capped at ¥200,000.00', () => {
    const out = run(p3bCase(25));
    expect(out).toMatchObject({ eligible: true, computedCny: '250000.00', amountCny: '200000.00', capApplied: 'P3b-annual-cap' });
    expect(out.recruitsCounted).toHaveLength(25);
  });

  it('E13: P4 a second time for the same park is refused: already awarded', () => {
    const out = run(p4Case([{ program: 'P4', year: 2019, amountCny: '500000.00' }]));
    expect(out).toMatchObject({ eligible: false, amountCny: '0.00', reasons: ['already-awarded'] });
    expect(run(p4Case())).toMatchObject({ eligible: true, amountCny: '500000.00' });
  });

  // The fund aggregate is the "aggregates" part of the domain (libs/domain/src/fund); E14 is its rule.
  it('E14: with ¥1,000,000.00 appropriated and ¥980,000.00 committed, a new approval of ¥50,000.00 is refused and nothing changes', () => {
    const history: FundEvent[] = [
      { type: 'FundBudgetAllocated', data: { year: 2019, amountCny: '1000000.00' } },
      { type: 'FundsCommitted', data: { year: 2019, commitmentId: 'c1', applicationId: 'application-1', amountCny: '980000.00' } },
    ];
    const state = evolveAll(fundDecider, history);
    const approve = { type: 'CommitFunds' as const, data: { year: 2019, commitmentId: 'c2', applicationId: 'application-2', amountCny: '50000.00' } };
    expect(() => fundDecider.decide(approve, state)).toThrow(FundOverCommitted);
    expect(state).toMatchObject({ appropriationCny: '1000000.00', committedCny: '980000.00', availableCny: '20000.00' });
    expect(fundDecider.decide({ ...approve, data: { ...approve.data, amountCny: '20000.00' } }, state)).toHaveLength(1);
  });

  it('uses the customs statistics, not the claim, and shows both when they differ', () => {
    const json = p1Case('49999.99');
    (json.claims as Record<string, unknown>).statedCustoms = [{ year: 2019, export9610Usd: '60000.00' }];
    const out = run(json);
    expect(out.eligible).toBe(false);
    expect(out.trace).toContainEqual(
      expect.objectContaining({
        code: 'customs-figure-claim-differs',
        step: expect.stringContaining('the claim states a different figure'),
        value: 'claimed USD 60000.00, customs USD 49999.99',
        source: 'claims.statedCustoms[0].export9610Usd',
      }),
    );
    expect(out.trace).toContainEqual(expect.objectContaining({ value: 'USD 49999.99', source: `customs:2019:${ENTERPRISE}` }));
  });
});
