import { Money } from '../shared/money';
import { PROGRAM_CATALOGUE, ProgramTerms, TermsKey, type ProgramId } from './programs/index';
import { LZB_2019_4_READINGS } from './readings';
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

/** What a program's own cap counts: one award year's awards, or every award of the policy's life. */
export type CapScope = 'award-year' | 'policy-life';

/** The terms the beneficiary ledger enforces for one program (see ledger-rules.ts). */
export interface LedgerTerms {
  oncePer: OncePer;
  /** Per beneficiary per award year (or per `capScope`); null = no program cap (an article cap may still apply). */
  annualCapCny: Money | null;
  /** What the program cap counts; absent = 'award-year'. */
  capScope?: CapScope;
  /**
   * How the subsidy period counts: consecutive calendar years from the first award, or a number of award
   * years (not necessarily consecutive); absent = 'consecutive-from-first-award'.
   */
  periodCounting?: PeriodCounting;
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

export type PeriodCounting = 'consecutive-from-first-award' | 'award-years';

/** 四（二）后段 不包括新企业进出口总量: who is a new enterprise (readings.ts). */
export type NewEnterpriseReading = 'no-trade-in-previous-year' | 'first-trade-in-previous-or-award-year';

/** 四（三）后段 本地进出口额零突破: which trade must have been zero before (readings.ts). */
export type ZeroBreakthroughTrade = 'cross-border-e-commerce' | 'all-trade';

/** How a percentage of a CNY amount comes to whole fen. */
export type Rounding = 'down' | 'half-up';

/** The comprehensive services of 四（三）: 通关、物流、融资、退税、结汇. */
export type PlatformService = 'customs-clearance' | 'logistics' | 'financing' | 'tax-refund' | 'fx-settlement';
export const PLATFORM_SERVICES: readonly PlatformService[] = ['customs-clearance', 'logistics', 'financing', 'tax-refund', 'fx-settlement'];
export const PLATFORM_SERVICE_ZH: Readonly<Record<PlatformService, string>> = {
  'customs-clearance': '通关',
  logistics: '物流',
  financing: '融资',
  'tax-refund': '退税',
  'fx-settlement': '结汇',
};

/** A division code that left the city: a USCC issued there before keeps its digits (GB 32100-2015). */
export interface DivisionTransfer {
  code: string;
  name: string;
  /** The first award year in which the division no longer belongs to the city. */
  fromYear: number;
  /** Its code since (GB/T 2260). */
  now: string;
}

/**
 * One reading of an ambiguous clause: the words, the values the text allows, the one this policy
 * version takes (the value of `parameter`, which the rules read) and why. `policy show` prints them.
 */
export interface Reading {
  id: string;
  clause: string;
  /** The words of 六政办秘〔2019〕4号 that allow more than one reading. */
  words: string;
  /** The path of the parameter that holds the chosen value, e.g. 'p1.oncePer'. */
  parameter: string;
  /** Each value the parameter may take, said in Chinese. */
  options: Readonly<Record<string, string>>;
  reason: { 'zh-CN': string; en: string };
}

export interface PolicyBase {
  version: string;
  title: string;
  /** The award years this version governs: from `fromYear`, to `toYear` (null = until replaced). */
  inForce: { fromYear: number; toYear: number | null };
  /** "registered in the city": GB/T 2260 division code prefix (六安市 = 3415). */
  localDivisionPrefix: string;
  /** Codes under the prefix that left the city: a USCC carrying one is not read as local from `fromYear`. */
  divisionsTransferred: DivisionTransfer[];
  /** Percentages come to whole fen this way (readings: rounding). */
  rounding: Rounding;
  /** The readings of the clauses that allow more than one, each naming its parameter (readings.ts). */
  readings: Reading[];
  /** Default time a cooperating unit has for its opinion, in working days (a parameter, not a clause). */
  reviewPeriodWorkingDays: number;
  /** 公示, recovery and 补发 (after-decision.ts): administrative practice, not the text. */
  afterDecision: AfterDecisionParams;
  programs: Record<ProgramId, ProgramParams>;
  articles: Record<string, ArticleParams>;
  // Each program's terms (p1, p2a, …) follow: their shapes are the program entries' (programs/<id>.program.ts).
}

/** A policy version: the common parameters, and each program's terms under its entry's `termsKey`. */
export type Policy = PolicyBase & ProgramTerms;

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

/** Each program as its entry declares it (name, clause, beneficiary, rule), with the units a version names. */
function programsOf(units: Pick<ProgramParams, 'leadUnit' | 'cooperatingUnits'>): Record<ProgramId, ProgramParams> {
  return Object.fromEntries(
    PROGRAM_CATALOGUE.map((e) => [
      e.id,
      {
        name: e.name,
        article: e.clause,
        beneficiaryKind: e.beneficiaryKind,
        rule: e.rule,
        leadUnit: units.leadUnit,
        cooperatingUnits: [...units.cooperatingUnits],
      },
    ]),
  ) as Record<ProgramId, ProgramParams>;
}

/** 六政办秘〔2019〕4号, read as docs/policy.md states it. */
export const LZB_2019_4: Policy = {
  version: 'LZB-2019-4',
  title: '六安市人民政府办公室关于加快推动跨境电子商务发展的实施意见（六政办秘〔2019〕4号）',
  // 六政办秘〔2019〕4号 is dated 2019 and names no end: it governs award years from 2019 until replaced.
  inForce: { fromYear: 2019, toYear: null },
  localDivisionPrefix: '3415',
  // 寿县 was transferred from 六安 to 淮南 (国函〔2015〕130号, effective 2016); its code is 340422 since.
  divisionsTransferred: [{ code: '341521', name: '寿县', fromYear: 2016, now: '340422' }],
  rounding: 'down',
  readings: LZB_2019_4_READINGS,
  reviewPeriodWorkingDays: 10,
  afterDecision: AFTER_DECISION_PRACTICE,
  programs: programsOf(FIN_LEADS),
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
    capScope: 'award-year',
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  p2b: {
    stepUsd: Money.usd('50000.00'),
    awardPerStepCny: Money.cny('2000.00'),
    newEnterprise: 'no-trade-in-previous-year',
    annualCapCny: null,
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  p3a: {
    requiredServices: [...PLATFORM_SERVICES],
    minOperatingYears: 1,
    minServedEnterprises: 10,
    minLocalOnlineTradeUsd: Money.usd('500000.00'),
    ratePercent: 40,
    annualCapCny: Money.cny('200000.00'),
    oncePer: 'beneficiary-year',
    // 补助期3年 (readings: p3a.periodCounting).
    periodYears: 3,
    periodCounting: 'consecutive-from-first-award',
  },
  p3b: {
    awardPerRecruitCny: Money.cny('10000.00'),
    zeroBreakthroughTrade: 'cross-border-e-commerce',
    annualCapCny: Money.cny('200000.00'),
    oncePer: 'beneficiary-year',
    periodYears: null,
  },
  // 一次性给予50万元支持, once per park.
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

const TERMS_KEY = Object.fromEntries(PROGRAM_CATALOGUE.map((e) => [e.id, e.termsKey])) as Record<ProgramId, TermsKey>;

/** The ledger terms of one program (oncePer, annual cap, period), read from the policy data. */
export function ledgerTerms(policy: Policy, program: ProgramId): LedgerTerms {
  const { oncePer, annualCapCny, periodYears, capScope, periodCounting } = policy[TERMS_KEY[program]];
  return { oncePer, annualCapCny, periodYears, capScope: capScope ?? 'award-year', periodCounting: periodCounting ?? 'consecutive-from-first-award' };
}

/** The value of a reading's parameter in `policy` (e.g. 'p1.oncePer' -> 'beneficiary'). */
export function readingValue(policy: Policy, reading: Reading): unknown {
  return reading.parameter.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | undefined)?.[key], policy);
}

/**
 * The trace source that cites the reading a rule used (`policy LZB-2019-4 reading p2b.new-enterprise`),
 * after the parameter the step read beside it when there is one (`policy LZB-2019-4 p2a.ratePercent, reading rounding`).
 */
export function readingSource(policy: Policy, parameter: string, alsoRead?: string): string {
  const reading = policy.readings.find((r) => r.parameter === parameter);
  const cited = reading ? `reading ${reading.id}` : parameter;
  return `policy ${policy.version} ${alsoRead === undefined ? cited : `${alsoRead}, ${cited}`}`;
}

/** Percent of a CNY amount, to whole fen as the policy's rounding reading says. */
export function percentOf(policy: Policy, amount: Money, percent: number): Money {
  return policy.rounding === 'half-up' ? amount.percentHalfUp(percent) : amount.percentFloor(percent);
}

/** The article (e.g. '四（二）') a program belongs to, and that article's cap. */
export function articleOf(policy: Policy, program: ProgramId): { article: string; params: ArticleParams } {
  const article = policy.programs[program].article;
  const params = policy.articles[article] ?? { programs: [program], annualCapCny: null };
  return { article, params };
}
