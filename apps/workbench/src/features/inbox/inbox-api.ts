import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { afterMyWrites, api, unwrap } from '../../lib/api/client';
import type { operations } from '../../lib/api/schema';

export type InboxQuery = NonNullable<operations['GetInboxController_inbox']['parameters']['query']>;

export const inboxKey = (q: InboxQuery) => ['inbox', q] as const;

/** One page of the unit's inbox (GET /inbox): the server filters and pages, due date first. */
export function useInbox(q: InboxQuery, enabled = true) {
  return useQuery({
    queryKey: inboxKey(q),
    queryFn: async () => unwrap(await api.GET('/api/v1/inbox', { params: { query: { ...q, ...afterMyWrites() } } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}
