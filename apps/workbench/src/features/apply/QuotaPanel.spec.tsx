import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { UiConfig } from '../../app/providers';
import { api } from '../../lib/api/client';
import { QuotaPanel } from './QuotaPanel';

jest.mock('../../lib/api/client', () => ({ ...jest.requireActual('../../lib/api/client'), api: { GET: jest.fn() } }));
const get = api.GET as unknown as jest.Mock;

function show(year: number | undefined) {
  render(
    <UiConfig>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <QuotaPanel uscc="91341502MA2DEM001K" year={year} />
      </QueryClientProvider>
    </UiConfig>,
  );
}

describe('申报: the remaining quota per article', () => {
  beforeEach(() => get.mockReset());

  it('shows what each article of the year has counted, its cap and what remains', async () => {
    get.mockResolvedValue({
      response: { ok: true, status: 200 },
      data: {
        articles: [
          { article: '四（二）', programs: ['P2a', 'P2b'], countedCny: '150000.00', annualCapCny: '200000.00', remainingCny: '50000.00' },
          { article: '四（一）', programs: ['P1'], countedCny: '0.00', annualCapCny: null, remainingCny: null },
        ],
      },
    });
    show(2019);
    const region = screen.getByRole('region', { name: '剩余额度' });
    const row = await within(region).findByText('四（二）');
    expect(row.closest('tr')).toHaveTextContent('¥150,000.00¥200,000.00¥50,000.00');
    expect(within(region).getByText('不设年度上限')).toBeInTheDocument();
    expect(get).toHaveBeenCalledWith('/api/v1/beneficiaries/{uscc}/totals', { params: { path: { uscc: '91341502MA2DEM001K' }, query: { year: 2019 } } });
  });

  it('asks nothing until a year is given', () => {
    show(undefined);
    expect(get).not.toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: '剩余额度' })).toBeNull();
  });
});
