import { Money } from '../shared/money';
import { Uscc } from '../shared/uscc';
import { AwardRecord } from './ledger-rules';
import { BeneficiaryKind, PlatformService } from './policy';
import { ProgramId } from './programs';

/** The customs-statistics figures of one enterprise or platform for one year (USD cents). */
export const CUSTOMS_FIGURES = ['export9610Usd', 'cbecImportUsd', 'cbecExportUsd', 'totalExportUsd', 'platformLocalOnlineTradeUsd'] as const;
export type CustomsFigure = (typeof CUSTOMS_FIGURES)[number];

/**
 * One row of the customs statistics. A figure that is `undefined` was not supplied; `null` means the
 * statistics record none (e.g. platform trade of an ordinary enterprise) and counts as zero.
 */
export type CustomsRecord = { year: number; uscc: string; source: string; path: string } & {
  [K in CustomsFigure]?: Money | null;
};

/** A figure the applicant states in its claim; never used for the decision, shown beside the customs one. */
export type StatedFigures = { year: number; uscc: string; path: string } & { [K in CustomsFigure]?: Money };

export interface PlatformFee {
  amount: Money;
  invoiceRef?: string;
  path: string;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A platform service declared with its evidence (四（三）: 通关、物流、融资、退税、结汇等综合配套服务). */
export interface DeclaredService {
  service: PlatformService;
  evidence?: string;
  path: string;
}

/** A time the platform declares it did not operate (正常运营): from `from` to `to` (open = still suspended). */
export interface Suspension {
  from: CalendarDate;
  to?: CalendarDate;
  path: string;
}

export interface Claims {
  promotesOnThirdPartyPlatform?: boolean;
  /** 四（二） the manufacturer's route: 利用第三方跨境电子商务平台 (promoting on one counts as using one). */
  usesThirdPartyPlatform?: boolean;
  services?: DeclaredService[];
  suspensions?: Suspension[];
  platformFeesCny?: PlatformFee[];
  investmentCny?: Money;
  operatingSince?: CalendarDate;
  servedEnterprises?: Uscc[];
  recruits?: Uscc[];
  otherMunicipalTradeAward?: boolean;
  waivesOtherMunicipalAward?: boolean;
  provincialRecognition?: { documentNo: string; date: CalendarDate };
  statedCustoms?: StatedFigures[];
}

/** An award outside this policy that still matters to it (P1: 与市级外贸政策不重复享受). */
export interface ExternalAward {
  kind: 'municipal-foreign-trade';
  year: number;
  ref?: string;
  path: string;
}

/**
 * Where an enterprise is registered in the award year (GB/T 2260 code), from a source: the beneficiary
 * register (a market-regulation registry extract) or the case file.
 */
export interface RegisteredDivision {
  code: string;
  source: string;
  /** True when the beneficiary register says so; false when only the case file states it. */
  byRegister: boolean;
}

/** The evaluated case: everything `evaluate` needs, already validated. */
export interface CaseFacts {
  program: ProgramId;
  year: number;
  policyVersion?: string;
  beneficiary: { uscc: Uscc; kind?: BeneficiaryKind; manufacturing?: boolean };
  /** The registered division of the beneficiary and of each recruit, by USCC, where one is known. */
  registered: Record<string, RegisteredDivision>;
  customs: CustomsRecord[];
  /**
   * The years whose customs statistics were imported: in such a year an enterprise without a record
   * exported nothing; a year not imported is unknown, never zero.
   */
  customsYears: number[];
  claims: Claims;
  /** What this beneficiary was already awarded (reserved or approved), all years. */
  history: AwardRecord[];
  externalAwards: ExternalAward[];
  /** P3b: recruits already counted by another platform. */
  recruitsCountedElsewhere: string[];
}

/** Bad input (exit 2 / HTTP 400): `field` is the path of the offending field, e.g. `customs[0].export9610Usd`. */
export class InvalidCaseInput extends Error {
  readonly code = 'invalid-input';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'InvalidCaseInput';
  }
}

export function formatDate(d: CalendarDate): string {
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  return `${p(d.year, 4)}-${p(d.month, 2)}-${p(d.day, 2)}`;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * The day a period of `years` years starting on `from` ends. Civil Code art. 201 (the starting day is
 * not counted) and art. 202 (no corresponding day: the last day of that month): 2018-12-31 + 1 year
 * ends 2019-12-31; 2016-02-29 + 1 year ends 2017-02-28.
 */
export function addYears(from: CalendarDate, years: number): CalendarDate {
  const year = from.year + years;
  return { year, month: from.month, day: Math.min(from.day, daysInMonth(year, from.month)) };
}
