import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

export type StatisticsRow = components['schemas']['AwardStatisticsResponse']['rows'][number];
export interface StatisticsFilter {
  program?: string;
  year?: number;
}

/** Approved awards by year, program and county (GET /statistics/awards): a few dozen groups, never a case list. */
export function useAwardStatistics(filter: StatisticsFilter) {
  return useQuery({
    queryKey: ['statistics', filter],
    queryFn: async () => unwrap(await api.GET('/api/v1/statistics/awards', { params: { query: filter } })).rows,
    placeholderData: keepPreviousData,
  });
}

/** The same rows as a CSV file: a plain link, so the browser downloads it with the session cookie. */
export function csvHref(filter: StatisticsFilter): string {
  const q = new URLSearchParams({ format: 'csv' });
  if (filter.program) q.set('program', filter.program);
  if (filter.year) q.set('year', String(filter.year));
  return `/api/v1/statistics/awards?${q.toString()}`;
}

/** Sums of approved and paid yuan per key (county or program), in fen so that no float rounding creeps in. */
export function totalsBy(rows: StatisticsRow[], key: (r: StatisticsRow) => string): { key: string; approved: number; disbursed: number }[] {
  const sums = new Map<string, { approved: bigint; disbursed: bigint }>();
  const fen = (cny: string) => BigInt(cny.replace('.', ''));
  for (const r of rows) {
    const s = sums.get(key(r)) ?? { approved: 0n, disbursed: 0n };
    sums.set(key(r), { approved: s.approved + fen(r.approvedCny), disbursed: s.disbursed + fen(r.disbursedCny) });
  }
  return [...sums].map(([k, s]) => ({ key: k, approved: Number(s.approved) / 100, disbursed: Number(s.disbursed) / 100 }));
}
