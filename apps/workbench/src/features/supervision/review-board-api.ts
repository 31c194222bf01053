import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { afterMyWrites, api, unwrap } from '../../lib/api/client';
import type { operations } from '../../lib/api/schema';

export type ReviewBoardQuery = NonNullable<operations['GetReviewBoardController_board']['parameters']['query']>;

/** One page of every unit's pending reviews (GET /inbox/reviews): the server filters and pages, due date first. */
export function useReviewBoard(q: ReviewBoardQuery) {
  return useQuery({
    queryKey: ['review-board', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/inbox/reviews', { params: { query: { ...q, ...afterMyWrites() } } })),
    placeholderData: keepPreviousData,
  });
}
