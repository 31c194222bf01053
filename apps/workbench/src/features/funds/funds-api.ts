import { useQueries } from '@tanstack/react-query';
import { afterMyWrites, api, sawPosition, unwrap } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

export type FundStatus = components['schemas']['FundStatusResponse'];

/** The most years one screen shows: a bounded number of reads, one per year. */
export const MAX_YEARS = 10;

/** Every year from `from` to `to` (at most MAX_YEARS of them, the latest kept). */
export function yearsBetween(from: number, to: number): number[] {
  const first = Math.max(Math.min(from, to), Math.max(from, to) - MAX_YEARS + 1);
  const years: number[] = [];
  for (let y = first; y <= Math.max(from, to); y++) years.push(y);
  return years;
}

/** The special fund of each year (GET /funds/{year}; a year without appropriation answers zeros). */
export function useFundYears(years: number[]) {
  return useQueries({
    queries: years.map((year) => ({
      queryKey: ['fund', year],
      queryFn: async () => unwrap(await api.GET('/api/v1/funds/{year}', { params: { path: { year: String(year) }, query: afterMyWrites() } })),
    })),
  });
}

/** Adds to a year's appropriation (FIN head, POST /funds/{year}/appropriations). */
export async function appropriate(year: number, amountCny: string): Promise<void> {
  sawPosition(unwrap(await api.POST('/api/v1/funds/{year}/appropriations', { params: { path: { year } }, body: { amountCny } })));
}
