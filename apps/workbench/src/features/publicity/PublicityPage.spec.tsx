import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import { beijingDay, exportHref, usePublicityList } from './publicity-api';
import { PublicityPage } from './PublicityPage';

jest.mock('./publicity-api', () => ({ ...jest.requireActual('./publicity-api'), usePublicityList: jest.fn() }));
const list = usePublicityList as jest.MockedFunction<typeof usePublicityList>;

jest.setTimeout(30_000);

const entry = (over: Record<string, unknown>) => ({
  applicationId: 'a-1',
  uscc: '91341502MA2AFT001P',
  enterprise: '六安甲跨境电商有限公司',
  program: 'P1',
  programName: '跨境电商出口奖励',
  year: 2019,
  amountCny: '50000.00',
  clause: '四（一）',
  from: '2020-03-02',
  until: '2020-03-09',
  status: 'approved',
  ...over,
});

function show(result: { data?: unknown; error?: unknown }) {
  list.mockReturnValue({ data: result.data, error: result.error ?? null, isFetching: false } as never);
  render(
    <UiConfig>
      <MemoryRouter>
        <PublicityPage />
      </MemoryRouter>
    </UiConfig>,
  );
}

describe('公示', () => {
  it('reads the day in Beijing: 16:30 UTC is already the next day there', () => {
    expect(beijingDay(new Date('2020-03-04T16:30:00.000Z'))).toBe('2020-03-05');
    expect(beijingDay(new Date('2020-03-04T15:59:59.000Z'))).toBe('2020-03-04');
  });

  it('lists each award with its enterprise (else its USCC), program, clause, amount and period; exports the same day', () => {
    show({
      data: { date: '2020-03-05', awards: [entry({}), entry({ applicationId: 'a-2', uscc: '91341502MA2AFT002T', enterprise: null, amountCny: '1234.50' })] },
    });
    const rows = screen.getAllByRole('row');
    expect(within(rows[1]).getByText('六安甲跨境电商有限公司')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent(/跨境电商出口奖励四（一）2019¥50,000\.002020-03-02 至 2020-03-09/);
    expect(within(rows[2]).getAllByText('91341502MA2AFT002T')).toHaveLength(2);
    expect(rows[2]).toHaveTextContent('¥1,234.50');
    const day = list.mock.calls[0][0];
    expect(screen.getByRole('button', { name: '导出 CSV' }).closest('a')).toHaveAttribute('href', exportHref(day, 'csv'));
    expect(screen.getByRole('button', { name: '导出 Excel' }).closest('a')).toHaveAttribute('href', `/api/v1/publicity-list?date=${day}&format=xlsx`);
  });

  it('shows a refusal in Chinese', () => {
    show({ error: new ApiError(403, { code: 'forbidden', detail: 'departments and AUDIT only' }) });
    expect(screen.getByRole('alert')).toHaveTextContent('departments and AUDIT only');
  });
});
