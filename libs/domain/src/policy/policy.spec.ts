import { Money } from '../shared/money';
import { articleOf, getPolicy, ledgerTerms, LZB_2019_4, Policy, UnknownPolicyVersion } from './policy';
import { InvalidProgram, parseProgramId, PROGRAM_IDS } from './programs';
import { RULES } from './rules/rule-registry';

describe('the policy LZB-2019-4 as data', () => {
  const policy = getPolicy('LZB-2019-4');

  it('is the default version', () => {
    expect(getPolicy()).toBe(policy);
    expect(policy.version).toBe('LZB-2019-4');
  });

  it('refuses an unknown version with a typed error naming policyVersion', () => {
    expect(() => getPolicy('LZB-2099-1')).toThrow(UnknownPolicyVersion);
    expect(() => getPolicy('LZB-2099-1')).toThrow(/^policyVersion: unknown policy "LZB-2099-1"/);
  });

  it('holds the thresholds, rates and caps of docs/policy.md', () => {
    expect(policy.p1).toMatchObject({ oncePer: 'beneficiary' });
    expect(policy.p1.minExport9610Usd.equals(Money.usd('50000.00'))).toBe(true);
    expect(policy.p1.awardCny.equals(Money.cny('50000.00'))).toBe(true);
    expect(policy.p2a).toMatchObject({ minGrowthPercent: 10, ratePercent: 70 });
    expect(policy.p2a.annualCapCny!.equals(Money.cny('100000.00'))).toBe(true);
    expect(policy.p2b.stepUsd.equals(Money.usd('50000.00'))).toBe(true);
    expect(policy.p2b.awardPerStepCny.equals(Money.cny('2000.00'))).toBe(true);
    expect(policy.p3a).toMatchObject({ minOperatingYears: 1, minServedEnterprises: 10, ratePercent: 40, periodYears: 3 });
    expect(policy.p3a.minLocalOnlineTradeUsd.equals(Money.usd('500000.00'))).toBe(true);
    expect(policy.p3a.annualCapCny!.equals(Money.cny('200000.00'))).toBe(true);
    expect(policy.p3b.awardPerRecruitCny.equals(Money.cny('10000.00'))).toBe(true);
    expect(policy.p3b.annualCapCny!.equals(Money.cny('200000.00'))).toBe(true);
    expect(policy.p4.awardCny.equals(Money.cny('500000.00'))).toBe(true);
    expect(policy.p4.oncePer).toBe('beneficiary');
    expect(policy.localDivisionPrefix).toBe('3415');
    expect(policy.reviewPeriodWorkingDays).toBe(10);
  });

  it('groups P2a and P2b under article 四（二） with its ¥200,000.00 cap', () => {
    const { article, params } = articleOf(policy, 'P2b');
    expect(article).toBe('四（二）');
    expect(params.programs).toEqual(['P2a', 'P2b']);
    expect(params.annualCapCny!.equals(Money.cny('200000.00'))).toBe(true);
  });

  it('names FIN as lead unit and COM, CUS, PBC as cooperating units of every program, and a rule that exists', () => {
    for (const id of PROGRAM_IDS) {
      expect(policy.programs[id]).toMatchObject({ leadUnit: 'FIN', cooperatingUnits: ['COM', 'CUS', 'PBC'] });
      expect(RULES[policy.programs[id].rule]).toBeDefined();
    }
  });

  it('cannot be changed by a consumer (published policies are frozen)', () => {
    expect(() => {
      (policy.p1 as { oncePer: string }).oncePer = 'beneficiary-year';
    }).toThrow(TypeError);
    expect(Object.isFrozen(policy.programs.P2a.cooperatingUnits)).toBe(true);
  });

  it('reads the ledger terms of a variant policy, not constants', () => {
    const variant: Policy = { ...LZB_2019_4, version: 'TEST-1', p1: { ...LZB_2019_4.p1, oncePer: 'beneficiary-year' } };
    expect(ledgerTerms(variant, 'P1').oncePer).toBe('beneficiary-year');
    expect(ledgerTerms(LZB_2019_4, 'P1').oncePer).toBe('beneficiary');
  });
});

describe('program ids', () => {
  it('accepts the short ids and the long names of docs/policy.md', () => {
    expect(parseProgramId('P2b')).toBe('P2b');
    expect(parseProgramId('trade-increment-subsidy')).toBe('P2b');
    expect(parseProgramId('provincial-park-grant')).toBe('P4');
  });

  it.each([['P5'], ['p1'], [''], [1], [null]])('refuses %p, naming the field', (text) => {
    expect(() => parseProgramId(text, 'history[2].program')).toThrow(InvalidProgram);
    expect(() => parseProgramId(text, 'history[2].program')).toThrow(/^history\[2\]\.program: /);
  });
});
