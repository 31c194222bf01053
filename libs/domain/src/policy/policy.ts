import { Money } from '../shared/money';
import { ProgramId } from './programs';
import { AFTER_DECISION_PRACTICE, type AfterDecisionParams } from './after-decision';

/**
 * A policy is DATA: every threshold, rate, cap and reading of an ambiguous clause of the document is a
 * parameter here, versioned. A later policy is a new object in POLICIES (plus, at most, a new rule).
 */

/** Department codes of docs/policy.md's vocabulary. */
export type UnitCode = 'FIN' | 'COM' | 'CUS' | 'PBC' | `CTY-${string}`;

export type BeneficiaryKind = 'enterprise' | 'platform' | 'park';

/**
 * How often one beneficiary may receive a program: `beneficiary` = at most once ever,
 * `beneficiary-year` = at most once per award year, `null` = limited by caps only.
 */
export type OncePer = 'beneficiary' | 'beneficiary-year' | null;

/** The terms the beneficiary ledger enforces for one program (see ledger-rules.ts). */
export interface LedgerTerms {
  oncePer: OncePer;
  /** Per beneficiary per award year; null = no program cap (an article cap may still apply). */
  annualCapCny: Money | null;
  /** Consecutive award years counted from the first year awarded; null = no period. */
  periodYears: number | null;
}

export interface ProgramParams {
  name: string;
  /** The clause of 四、支持政策 that grants it, e.g. '四（二）'. */
  article: string;
  leadUnit: UnitCode;
  cooperatingUnits: UnitCode[];
  beneficiaryKind: BeneficiaryKind;
  /** Key of the rule in the rule registry (policy/rules): a later policy may point a program at a new rule. */
  rule: string;
}

export interface ArticleParams {
  programs: ProgramId[];
  /** Sum of the article's programs per beneficiary per year; null = none. */
  annualCapCny: Money | null;
}

export interface Policy {
  version: string;
  title: string;
  /** "registered in the city": USCC administrative-division code prefix (六安市 = 3415). */
  localDivisionPrefix: string;
  /** Default time a cooperating unit has for its opinion, in working days (a parameter, not a clause). */
  reviewPeriodWorkingDays: number;
  /** 公示, recovery and 补发 (after-decision.ts): administrative practice, not the text. */
  afterDecision: AfterDecisionParams;
  programs: Record<ProgramId, ProgramParams>;
  articles: Record<string, ArticleParams>;
  p1: LedgerTerms & { minExport9610Usd: Money; awardCny: Money };
  p2a: LedgerTerms & {
    /** Export growth Y-1 -> Y, in percent, inclusive (10%以上). */
    minGrowthPercent: number;
    ratePercent: number;
  };
  p2b: LedgerTerms & { stepUsd: Money; awardPerStepCny: Money };
  p3a: LedgerTerms & {
    minOperatingYears: number;
    minServedEnterprises: number;
    minLocalOnlineTradeUsd: Money;
    ratePercent: number;
  };
  p3b: LedgerTerms & { awardPerRecruitCny: Money };
  p4: LedgerTerms & { awardCny: Money };
}

export class UnknownPolicyVersion extends Error {
  readonly code = 'unknown-policy-version';
  readonly field = 'policyVersion';
  constructor(readonly version: string) {
    super(`policyVersion: unknown policy "${version}"; known: ${Object.keys(POLICIES).join(', ')}`);
    this.name = 'UnknownPolicyVersion';
  }
}

const FIN_LEADS: Pick<ProgramParams, 'leadUnit' | 'cooperatingUnits'> = {
  leadUnit: 'FIN',
  cooperatingUnits: ['COM', 'CUS', 'PBC'],
};

/** 六政办秘〔2019〕4号, read as docs/policy.md states it. */
export const LZB_2019_4: Policy = {
  version: 'LZB-2019-4',
  title: '六安市人民政府办公室关于加快推动跨境电子商务发展的实施意见（六政办秘〔2019〕4号）',
  localDivisionPrefix: '3415',
  reviewPeriodWorkingDays: 10,
  afterDecision: AFTER_DECISION_PRACTICE,
  programs: {
    P1: { name: 'export-reward', article: '四（一）', beneficiaryKind: 'enterprise', rule: 'export-reward/v1', ...FIN_LEADS },
    P2a: { name: 'platform-fee-subsidy', article: '四（二）', beneficiaryKind: 'enterprise', rule: 'platform-fee-subsidy/v1', ...FIN_LEADS },
    P2b: { name: 'trade-increment-subsidy', article: '四（二）', beneficiaryKind: 'enterprise', rule: 'trade-increment-subsidy/v1', ...FIN_LEADS },
    P3a: { name: 'platform-investment-subsidy', article: '四（三）', beneficiaryKind: 'platform', rule: 'platform-investment-subsidy/v1', ...FIN_LEADS },
    P3b: { name: 'platform-recruitment-reward', article: '四（三）', beneficiaryKind: 'platform', rule: 'platform-recruitment-reward/v1', ...FIN_LEADS },
    P4: { name: 'provincial-park-grant', article: '四（四）', beneficiaryKind: 'park', rule: 'provincial-park-grant/v1', ...FIN_LEADS },
  },
  articles: {
    '四（一）': { programs: ['P1'], annualCapCny: null },
    // 四（二）: 同一企业此条政策年最高补助20万元
    '四（二）': { programs: ['P2a', 'P2b'], annualCapCny: Money.cny('200000.00') },
    // 四（三）'s two caps are per program (each "最高不超过20万元"), not one for the article.
    '四（三）': { programs: ['P3a', 'P3b'], annualCapCny: null },
    '四（四）': { programs: ['P4'], annualCapCny: null },
  },
  // 一次性奖励 for reaching a threshold: once ever by default; 'beneficiary-year' is the alternative reading.
  p1: {
    minExport9610Usd: Money.usd('50000.00'),
    awardCny: Money.cny('50000.00'),
    oncePer: 'beneficiary',
    annualCapCny: null,
    periodYears: null,
  },
  // Annual programs are decided once per award year on that year's figures: a second award for the
  // same year would count the same fees, increment, investment or recruits twice.
  p2a: {
    minGrowthPercent: 10,
    ratePercent: 70,
    annualCapCny: Money.cny('100000.00'),
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  p2b: {
    stepUsd: Money.usd('50000.00'),
    awardPerStepCny: Money.cny('2000.00'),
    annualCapCny: null,
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  p3a: {
    minOperatingYears: 1,
    minServedEnterprises: 10,
    minLocalOnlineTradeUsd: Money.usd('500000.00'),
    ratePercent: 40,
    annualCapCny: Money.cny('200000.00'),
    oncePer: 'beneficiary-year',
    // 补贴期限3年, consecutive years from the first year awarded.
    periodYears: 3,
  },
  p3b: {
    awardPerRecruitCny: Money.cny('10000.00'),
    annualCapCny: Money.cny('200000.00'),
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  // 一次性给予50万元奖励, once per park.
  p4: { awardCny: Money.cny('500000.00'), oncePer: 'beneficiary', annualCapCny: null, periodYears: null },
};

export const DEFAULT_POLICY_VERSION = 'LZB-2019-4';

/** Policies are shared by every case and never change once published: freeze them, deep. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const POLICIES: Readonly<Record<string, Policy>> = deepFreeze({ [LZB_2019_4.version]: LZB_2019_4 });

export function getPolicy(version: string = DEFAULT_POLICY_VERSION): Policy {
  const policy = POLICIES[version];
  if (!policy) throw new UnknownPolicyVersion(version);
  return policy;
}

const TERMS_KEY: Record<ProgramId, 'p1' | 'p2a' | 'p2b' | 'p3a' | 'p3b' | 'p4'> = {
  P1: 'p1',
  P2a: 'p2a',
  P2b: 'p2b',
  P3a: 'p3a',
  P3b: 'p3b',
  P4: 'p4',
};

/** The ledger terms of one program (oncePer, annual cap, period), read from the policy data. */
export function ledgerTerms(policy: Policy, program: ProgramId): LedgerTerms {
  const { oncePer, annualCapCny, periodYears } = policy[TERMS_KEY[program]];
  return { oncePer, annualCapCny, periodYears };
}

/** The article (e.g. '四（二）') a program belongs to, and that article's cap. */
export function articleOf(policy: Policy, program: ProgramId): { article: string; params: ArticleParams } {
  const article = policy.programs[program].article;
  const params = policy.articles[article] ?? { programs: [program], annualCapCny: null };
  return { article, params };
}
