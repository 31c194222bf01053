import { Money } from '../shared/money';
import { AwardRecord, limitByLedger, recruitsAlreadyCounted } from './ledger-rules';
import { LZB_2019_4, Policy } from './policy';

const cny = (s: string) => Money.cny(s);
const award = (program: AwardRecord['program'], year: number, amount: string, ref?: string): AwardRecord =>
  ref ? { program, year, amountCny: cny(amount), ref } : { program, year, amountCny: cny(amount) };

describe('limitByLedger', () => {
  describe('one-time rules', () => {
    it('refuses a second P1 award to the same enterprise in any later year (oncePer beneficiary)', () => {
      const check = limitByLedger(LZB_2019_4, 'P1', 2020, cny('50000.00'), [award('P1', 2018, '50000.00', 'application-1')]);
      expect(check).toMatchObject({ ok: false, reason: 'already-awarded' });
      expect(check.trace).toContainEqual(expect.objectContaining({ source: 'award:application-1' }));
    });

    it('honours a variant policy with P1 once per beneficiary and year', () => {
      const variant: Policy = { ...LZB_2019_4, version: 'TEST-P1-YEARLY', p1: { ...LZB_2019_4.p1, oncePer: 'beneficiary-year' } };
      const history = [award('P1', 2018, '50000.00')];
      expect(limitByLedger(variant, 'P1', 2019, cny('50000.00'), history)).toMatchObject({ ok: true });
      expect(limitByLedger(variant, 'P1', 2018, cny('50000.00'), history)).toMatchObject({ ok: false, reason: 'already-awarded' });
    });

    it('refuses a second P4 grant to the same park', () => {
      expect(limitByLedger(LZB_2019_4, 'P4', 2021, cny('500000.00'), [award('P4', 2019, '500000.00')])).toMatchObject({
        ok: false,
        reason: 'already-awarded',
      });
    });

    it('allows an annual program once per year, not once ever', () => {
      const history = [award('P2b', 2018, '4000.00')];
      expect(limitByLedger(LZB_2019_4, 'P2b', 2019, cny('4000.00'), history)).toMatchObject({ ok: true });
      expect(limitByLedger(LZB_2019_4, 'P2b', 2018, cny('4000.00'), history)).toMatchObject({ ok: false, reason: 'already-awarded' });
    });
  });

  describe('the P3a subsidy period', () => {
    const history = [award('P3a', 2017, '100000.00'), award('P3a', 2018, '100000.00')];
    it('counts three consecutive years from the first year awarded', () => {
      expect(limitByLedger(LZB_2019_4, 'P3a', 2019, cny('1.00'), history)).toMatchObject({ ok: true });
      expect(limitByLedger(LZB_2019_4, 'P3a', 2020, cny('1.00'), history)).toMatchObject({ ok: false, reason: 'period-over' });
    });

    it('keeps counting through a year without an award (the years are consecutive, the awards need not be)', () => {
      expect(limitByLedger(LZB_2019_4, 'P3a', 2019, cny('1.00'), [award('P3a', 2017, '1.00')])).toMatchObject({ ok: true });
      expect(limitByLedger(LZB_2019_4, 'P3a', 2020, cny('1.00'), [award('P3a', 2017, '1.00')])).toMatchObject({ ok: false, reason: 'period-over' });
    });

    it('refuses a year before the period started', () => {
      expect(limitByLedger(LZB_2019_4, 'P3a', 2016, cny('1.00'), history)).toMatchObject({ ok: false, reason: 'outside-period' });
    });

    it('honours a variant period length', () => {
      const variant: Policy = { ...LZB_2019_4, version: 'TEST-P3A-5Y', p3a: { ...LZB_2019_4.p3a, periodYears: 5 } };
      expect(limitByLedger(variant, 'P3a', 2021, cny('1.00'), history)).toMatchObject({ ok: true });
    });
  });

  describe('caps', () => {
    it('cuts P2a to its ¥100,000.00 annual cap and records the cap', () => {
      expect(limitByLedger(LZB_2019_4, 'P2a', 2019, cny('105000.00'), [])).toMatchObject({ ok: true, capApplied: 'P2a-annual-cap' });
      const check = limitByLedger(LZB_2019_4, 'P2a', 2019, cny('105000.00'), []);
      expect(check.ok && check.amount.toString()).toBe('100000.00');
    });

    it('cuts P2b to what remains of the 四（二） article cap after P2a', () => {
      const check = limitByLedger(LZB_2019_4, 'P2b', 2019, cny('240000.00'), [award('P2a', 2019, '100000.00')]);
      expect(check).toMatchObject({ ok: true, capApplied: 'article-四（二）-annual-cap' });
      expect(check.ok && [check.amount.toString(), check.computed.toString()]).toEqual(['100000.00', '240000.00']);
    });

    it('leaves an amount exactly at the cap untouched (不超过 is inclusive)', () => {
      const check = limitByLedger(LZB_2019_4, 'P2b', 2019, cny('100000.00'), [award('P2a', 2019, '100000.00')]);
      expect(check).toMatchObject({ ok: true, capApplied: null });
    });

    it('cuts by one fen when the request is one fen over the cap', () => {
      const check = limitByLedger(LZB_2019_4, 'P2b', 2019, cny('100000.01'), [award('P2a', 2019, '100000.00')]);
      expect(check.ok && check.amount.toString()).toBe('100000.00');
    });

    it('refuses with cap-exhausted when nothing remains', () => {
      const history = [award('P2a', 2019, '100000.00'), award('P2b', 2018, '1.00')];
      const variant: Policy = { ...LZB_2019_4, p2b: { ...LZB_2019_4.p2b, oncePer: null } };
      expect(limitByLedger(variant, 'P2b', 2019, cny('4000.00'), [...history, award('P2b', 2019, '100000.00')])).toMatchObject({
        ok: false,
        reason: 'cap-exhausted',
      });
    });

    it('ignores other years and other articles', () => {
      const history = [award('P2a', 2018, '100000.00'), award('P3a', 2019, '200000.00'), award('P1', 2019, '50000.00')];
      const check = limitByLedger(LZB_2019_4, 'P2b', 2019, cny('200000.00'), history);
      expect(check).toMatchObject({ ok: true, capApplied: null });
    });
  });

  it('lists the recruits a platform already counted', () => {
    const counted = recruitsAlreadyCounted([{ ...award('P3b', 2018, '10000.00'), recruits: ['A', 'B'] }, award('P2a', 2018, '1.00')]);
    expect([...counted.keys()]).toEqual(['A', 'B']);
  });
});
