import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import { PersonContext } from '../auth/person';
import type { Session } from '../auth/session';
import { changeAccount, useAccounts, type Account } from './accounts-api';
import { AccountsPage } from './AccountsPage';

jest.mock('./accounts-api', () => ({ useAccounts: jest.fn(), changeAccount: jest.fn() }));
const accounts = useAccounts as jest.MockedFunction<typeof useAccounts>;
const change = changeAccount as jest.MockedFunction<typeof changeAccount>;
jest.setTimeout(30_000);

const account = (over: Partial<Account>): Account => ({
  username: 'fin-chen',
  displayName: '陈科员',
  unit: 'FIN',
  role: 'officer',
  uscc: null,
  enabled: true,
  lockedUntil: null,
  version: 1,
  ...over,
});

function show(unit: string, role: string) {
  accounts.mockReturnValue({
    data: { accounts: [account({}), account({ username: 'old', enabled: false })], total: 42 },
    error: null,
    isFetching: false,
  } as never);
  render(
    <UiConfig>
      <QueryClientProvider client={new QueryClient()}>
        <PersonContext.Provider value={{ unit, role, user: 'root', displayName: 'root', uscc: null } as unknown as Session}>
          <AccountsPage />
        </PersonContext.Provider>
      </QueryClientProvider>
    </UiConfig>,
  );
}

describe('账号管理', () => {
  beforeEach(() => jest.clearAllMocks());

  it('asks the server for one page at a time and shows the total', () => {
    show('ADMIN', 'admin');
    expect(accounts).toHaveBeenCalledWith({ limit: 20, offset: 0 });
    expect(screen.getByText('共 42 个账号')).toBeInTheDocument();
  });

  it('an administrator disables an enabled account and enables a disabled one', async () => {
    change.mockResolvedValue(account({}));
    show('ADMIN', 'admin');
    const rows = screen.getAllByRole('row');
    await userEvent.click(within(rows.find((r) => r.textContent?.includes('fin-chen'))!).getByRole('button', { name: '停用' }));
    expect(change).toHaveBeenCalledWith({ kind: 'disable', username: 'fin-chen' });
    await userEvent.click(within(rows.find((r) => r.textContent?.includes('old'))!).getByRole('button', { name: '启用' }));
    expect(change).toHaveBeenCalledWith({ kind: 'enable', username: 'old' });
  });

  it('a weak password is refused in Chinese inside the dialog, which stays open', async () => {
    change.mockRejectedValue(new ApiError(422, { code: 'weak-password', detail: 'lacks upper-case letters and digits' }));
    show('ADMIN', 'admin');
    const row = screen.getAllByRole('row').find((r) => r.textContent?.includes('fin-chen'))!;
    await userEvent.click(within(row).getByRole('button', { name: '重置密码' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('新密码'), 'password');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(change).toHaveBeenCalledWith({ kind: 'reset', username: 'fin-chen', password: 'password' });
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('密码强度不足（lacks upper-case letters and digits）');
  });

  it('an auditor reads the accounts and changes nothing', () => {
    show('AUDIT', 'auditor');
    expect(screen.queryByRole('button', { name: '新建账号' })).toBeNull();
    expect(screen.queryByRole('button', { name: '停用' })).toBeNull();
  });
});
