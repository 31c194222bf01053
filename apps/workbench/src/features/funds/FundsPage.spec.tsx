import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import { PersonContext } from '../auth/person';
import type { Session } from '../auth/session';
import { appropriate, useFundYears, yearsBetween } from './funds-api';
import { FundsPage } from './FundsPage';

jest.mock('./funds-api', () => ({ ...jest.requireActual('./funds-api'), useFundYears: jest.fn(), appropriate: jest.fn() }));
jest.mock('../../components/charts/BarChart', () => ({ __esModule: true, default: ({ label }: { label: string }) => <div role="img" aria-label={label} /> }));
const fundYears = useFundYears as jest.MockedFunction<typeof useFundYears>;
const appropriateMock = appropriate as jest.MockedFunction<typeof appropriate>;

const fund = (year: number, appropriationCny: string) => ({
  year,
  appropriationCny,
  committedCny: '150000.00',
  disbursedCny: '100000.00',
  availableCny: '4850000.00',
  outstandingCny: '50000.00',
  allocations: 1,
  commitments: { committed: 1, paid: 1, released: 0 },
});

function show(person: Pick<Session, 'unit' | 'role'>) {
  fundYears.mockImplementation((years) => years.map((y) => ({ data: fund(y, y === 2019 ? '5000000.00' : '0.00'), error: null, isFetching: false })) as never);
  render(
    <UiConfig>
      <QueryClientProvider client={new QueryClient()}>
        <PersonContext.Provider value={{ ...person, user: 'u', displayName: 'u', uscc: null } as unknown as Session}>
          <FundsPage />
        </PersonContext.Provider>
      </QueryClientProvider>
    </UiConfig>,
  );
}

jest.setTimeout(60_000);

describe('专项资金', () => {
  beforeEach(() => jest.clearAllMocks());

  it('reads a bounded run of years, the latest kept', () => {
    expect(yearsBetween(2018, 2020)).toEqual([2018, 2019, 2020]);
    expect(yearsBetween(2020, 2018)).toEqual([2018, 2019, 2020]);
    expect(yearsBetween(2000, 2030)).toEqual([2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030]);
  });

  it('shows each year in yuan, with the chart; an officer gets no appropriation form', async () => {
    show({ unit: 'FIN', role: 'officer' });
    expect(screen.getAllByText('¥150,000.00').length).toBeGreaterThan(0);
    // The chart is a lazy chunk: it may take a while on a busy machine.
    expect(await screen.findByRole('img', { name: '专项资金图表' }, { timeout: 20_000 })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '追加拨款' })).toBeNull();
  });

  it('the head appropriates: a three-decimal amount is refused before sending, a good one is sent', async () => {
    show({ unit: 'FIN', role: 'head' });
    const amount = screen.getByLabelText('拨款金额（元）');
    // One change event per value (typing key by key re-renders the page each time, slow on a busy machine).
    fireEvent.change(amount, { target: { value: '100.123' } });
    await userEvent.click(screen.getByRole('button', { name: '追加拨款' }));
    expect(await screen.findByText('金额以元为单位，最多两位小数', undefined, { timeout: 10_000 })).toBeInTheDocument();
    expect(appropriateMock).not.toHaveBeenCalled();
    fireEvent.change(amount, { target: { value: '200000.00' } });
    await userEvent.click(screen.getByRole('button', { name: '追加拨款' }));
    await waitFor(() => expect(appropriateMock).toHaveBeenCalledWith(new Date().getFullYear(), '200000.00'));
  });

  it('a refusal by the server is shown in Chinese', async () => {
    appropriateMock.mockRejectedValue(new ApiError(422, { code: 'amount-above-limit', detail: 'above 100000000000.00' }));
    show({ unit: 'FIN', role: 'head' });
    fireEvent.change(screen.getByLabelText('拨款金额（元）'), { target: { value: '200000000000.00' } });
    await userEvent.click(screen.getByRole('button', { name: '追加拨款' }));
    const alert = await screen.findByRole('alert', undefined, { timeout: 10_000 });
    expect(within(alert).getByText(/above 100000000000.00/)).toBeInTheDocument();
  });
});
