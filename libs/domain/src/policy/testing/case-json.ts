import { usccCheckCharacter } from '../../shared/uscc';

/**
 * Builders of `evaluate` input JSON for specs: cases go through the same strict parser as the CLI and
 * the API, so the specs exercise the public contract, not a shortcut.
 */

/** A valid USCC from its first 17 characters (GB 32100-2015 check character appended). */
export function usccOf(first17: string): string {
  return first17 + usccCheckCharacter(first17);
}

/** The n-th valid USCC registered in `division` (六安市金安区 341502 by default). */
export function enterpriseUscc(n: number, division = '341502'): string {
  return usccOf(`91${division}MA2${String(n).padStart(6, '0')}`);
}

export const ENTERPRISE = '91341500MA2010017C';
export const PLATFORM = '91341500MA2016013B';
export const PARK = enterpriseUscc(900, '341500');
/** Registered in 合肥 (3401): not in the city. */
export const OUTSIDE = enterpriseUscc(1, '340100');

type Figures = Partial<Record<'export9610Usd' | 'cbecImportUsd' | 'cbecExportUsd' | 'totalExportUsd' | 'platformLocalOnlineTradeUsd', string | null>>;

export function row(year: number, uscc: string, figures: Figures): Record<string, unknown> {
  return { year, uscc, ...figures };
}

export function servedList(count: number): string[] {
  return Array.from({ length: count }, (_, i) => enterpriseUscc(5000 + i));
}

export function p1Case(export9610Usd: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    program: 'P1',
    year: 2019,
    beneficiary: { uscc: ENTERPRISE, kind: 'enterprise' },
    customs: [row(2019, ENTERPRISE, { export9610Usd })],
    claims: { otherMunicipalTradeAward: false },
    ...extra,
  };
}

export function p2aCase(
  totals: [string, string],
  fees: string[],
  opts: { promotes?: boolean; uses?: boolean; manufacturing?: boolean; history?: unknown[] } = {},
): Record<string, unknown> {
  return {
    program: 'P2a',
    year: 2019,
    beneficiary: { uscc: ENTERPRISE, kind: 'enterprise', manufacturing: opts.manufacturing ?? false },
    customs: [row(2018, ENTERPRISE, { totalExportUsd: totals[0] }), row(2019, ENTERPRISE, { totalExportUsd: totals[1] })],
    claims: {
      promotesOnThirdPartyPlatform: opts.promotes ?? true,
      ...(opts.uses === undefined ? {} : { usesThirdPartyPlatform: opts.uses }),
      platformFeesCny: fees,
    },
    history: opts.history ?? [],
  };
}

/**
 * P2b with the whole cross-border trade booked as exports; `before` null = no record for Y-1 in the
 * imported statistics of Y-1 (imported: `customsYears`).
 */
export function p2bCase(before: string | null, now: string, history: unknown[] = []): Record<string, unknown> {
  const customs = [row(2019, ENTERPRISE, { cbecImportUsd: '0.00', cbecExportUsd: now })];
  if (before !== null) customs.unshift(row(2018, ENTERPRISE, { cbecImportUsd: '0.00', cbecExportUsd: before }));
  return { program: 'P2b', year: 2019, beneficiary: { uscc: ENTERPRISE, kind: 'enterprise' }, customs, customsYears: [2018, 2019], history };
}

/** The five services of 四（三）, each declared with its evidence (what LZB-2019-4 requires of P3a). */
export const ALL_SERVICES = [
  { service: 'customs-clearance', evidence: '报关服务协议 2019-01' },
  { service: 'logistics', evidence: '物流服务协议 2019-02' },
  { service: 'financing', evidence: '融资服务协议 2019-03' },
  { service: 'tax-refund', evidence: '退税代理协议 2019-04' },
  { service: 'fx-settlement', evidence: '结汇服务协议 2019-05' },
];

export function p3aCase(
  opts: {
    year?: number;
    investmentCny?: string;
    served?: number;
    operatingSince?: string;
    localTradeUsd?: string | null;
    uscc?: string;
    history?: unknown[];
  } = {},
): Record<string, unknown> {
  const year = opts.year ?? 2019;
  const uscc = opts.uscc ?? PLATFORM;
  return {
    program: 'P3a',
    year,
    beneficiary: { uscc, kind: 'platform' },
    customs: [row(year, uscc, { platformLocalOnlineTradeUsd: opts.localTradeUsd === undefined ? '650000.00' : opts.localTradeUsd })],
    claims: {
      investmentCny: opts.investmentCny ?? '600000.00',
      operatingSince: opts.operatingSince ?? '2017-03-01',
      servedEnterprises: servedList(opts.served ?? 12),
      services: ALL_SERVICES,
    },
    history: opts.history ?? [],
  };
}

/** P3b with `count` recruits of the city, each trading for the first time in 2019. */
export function p3bCase(count: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const recruits = Array.from({ length: count }, (_, i) => enterpriseUscc(7000 + i));
  return {
    program: 'P3b',
    year: 2019,
    beneficiary: { uscc: PLATFORM, kind: 'platform' },
    customs: recruits.flatMap((r) => [
      row(2018, r, { cbecImportUsd: '0.00', cbecExportUsd: '0.00' }),
      row(2019, r, { cbecImportUsd: '0.00', cbecExportUsd: '12000.00' }),
    ]),
    claims: { recruits },
    ...extra,
  };
}

export function p4Case(history: unknown[] = []): Record<string, unknown> {
  return {
    program: 'P4',
    year: 2019,
    beneficiary: { uscc: PARK, kind: 'park' },
    claims: { provincialRecognition: { documentNo: '皖商务〔2019〕88号', date: '2019-06-30' } },
    history,
  };
}
