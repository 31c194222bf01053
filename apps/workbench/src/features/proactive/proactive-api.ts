import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, sawPosition, unwrap } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

export type ProactiveCandidate = components['schemas']['ProactiveCandidateResponse'];
export type OpenAnswer = components['schemas']['OpenProactiveAwardsResponse'];

/** The programs the customs statistics alone can prove (docs/after-decision.md, 免申即享). */
export const PROACTIVE_PROGRAMS = ['P1', 'P2a', 'P2b'] as const;

export interface ProactiveQuery {
  year: number;
  program?: (typeof PROACTIVE_PROGRAMS)[number];
  limit: number;
  offset: number;
}

/**
 * 免申即享: the candidates of a year, each with its computation, paged by the server. The list is computed when
 * asked and takes no `minPosition` (a 400 if sent).
 */
export function useProactiveCandidates(q: ProactiveQuery) {
  return useQuery({
    queryKey: ['proactive-awards', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/proactive-awards', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

/** Opens a case (marked 免申) for each chosen candidate, in one action; the answer names each opened and each refused. */
export async function openProactive(year: number, candidates: Array<{ uscc: string; program: string }>): Promise<OpenAnswer> {
  const answer = unwrap(
    await api.POST('/api/v1/proactive-awards/open', {
      body: { year, candidates: candidates as components['schemas']['OpenProactiveAwardsRequest']['candidates'] },
    }),
  );
  sawPosition(answer);
  return answer;
}
