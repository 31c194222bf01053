import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { afterMyWrites, api, unwrap } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

export type PublicityEntry = components['schemas']['PublicityEntryResponse'];

/** The day in Beijing (YYYY-MM-DD) of an instant: the day the publicity list is read for by default. */
export function beijingDay(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The awards whose publicity (公示) covers `date` (GET /publicity-list): the server bounds it to that day's. */
export function usePublicityList(date: string) {
  return useQuery({
    queryKey: ['publicity-list', date],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/publicity-list', { params: { query: { date, format: 'json', ...afterMyWrites() }, header: { 'accept-language': 'zh-CN' } } }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The same list as a file, for publication: a plain link, so the browser downloads it with the session cookie. */
export function exportHref(date: string, format: 'csv' | 'xlsx'): string {
  return `/api/v1/publicity-list?${new URLSearchParams({ date, format }).toString()}`;
}
