import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';
import type { components, operations } from '../../lib/api/schema';

export type Account = components['schemas']['AccountAnswer'];
export type AccountsQuery = NonNullable<operations['ListAccountsController_list']['parameters']['query']>;

/** One page of the accounts, by username (GET /accounts: ADMIN and AUDIT). */
export function useAccounts(q: AccountsQuery) {
  return useQuery({
    queryKey: ['accounts', q],
    queryFn: async () => unwrap(await api.GET('/api/v1/accounts', { params: { query: q } })),
    placeholderData: keepPreviousData,
  });
}

export type NewAccount = components['schemas']['CreateAccountRequest'];
export type Role = NewAccount['role'];

export type AccountChange =
  | { kind: 'create'; account: NewAccount }
  | { kind: 'disable' | 'enable'; username: string }
  | { kind: 'reset'; username: string; password: string }
  | { kind: 'grant'; username: string; unit: string; role: string; uscc?: string };

/** One change of the administrator (each its own endpoint, ADMIN only). */
export async function changeAccount(change: AccountChange): Promise<Account> {
  switch (change.kind) {
    case 'create':
      return unwrap(await api.POST('/api/v1/accounts', { body: change.account }));
    case 'disable':
      return unwrap(await api.POST('/api/v1/accounts/{username}/disable', { params: { path: { username: change.username } } }));
    case 'enable':
      return unwrap(await api.POST('/api/v1/accounts/{username}/enable', { params: { path: { username: change.username } } }));
    case 'reset':
      return unwrap(
        await api.POST('/api/v1/accounts/{username}/password-reset', { params: { path: { username: change.username } }, body: { password: change.password } }),
      );
    case 'grant':
      return unwrap(
        await api.POST('/api/v1/accounts/{username}/grant', {
          params: { path: { username: change.username } },
          body: { unit: change.unit, role: change.role, ...(change.uscc ? { uscc: change.uscc } : {}) },
        }),
      );
  }
}
