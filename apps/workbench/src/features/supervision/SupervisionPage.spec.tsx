import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import { useReviewBoard } from './review-board-api';
import { SupervisionPage } from './SupervisionPage';

jest.mock('./review-board-api', () => ({ useReviewBoard: jest.fn() }));
const board = useReviewBoard as jest.MockedFunction<typeof useReviewBoard>;

const item = (over: Record<string, unknown>) => ({
  applicationId: 'app-1',
  task: 'review',
  reviewUnit: 'PBC',
  round: 1,
  dueDate: '2019-10-16',
  overdue: false,
  overdueAsOf: null,
  since: '2019-09-27T03:00:00.000Z',
  detail: null,
  program: 'P2a',
  year: 2018,
  uscc: '91341500MA2010017C',
  beneficiaryName: '六安示例电商',
  earlierAwardId: null,
  ...over,
});

function show() {
  render(
    <UiConfig>
      <MemoryRouter>
        <SupervisionPage />
      </MemoryRouter>
    </UiConfig>,
  );
}

describe('督办 shows every unit’s late and pending reviews', () => {
  it('asks the server for the overdue ones first, then the whole board, a page at a time', () => {
    board.mockReturnValue({ data: { items: [], total: 0 }, error: null, isFetching: false } as never);
    show();
    expect(board.mock.calls[0][0]).toEqual({ overdue: true, limit: 20, offset: 0 });
    expect(board.mock.calls[1][0]).toEqual({ limit: 20, offset: 0 });
  });

  it('names the unit that owes each review and tags the late one 已逾期', () => {
    board.mockImplementation(
      (q) =>
        (q.overdue
          ? { data: { items: [item({ overdue: true, overdueAsOf: '2019-10-17' })], total: 1 }, error: null, isFetching: false }
          : {
              data: { items: [item({ overdue: true }), item({ reviewUnit: 'CUS', applicationId: 'app-2' })], total: 2 },
              error: null,
              isFetching: false,
            }) as never,
    );
    show();
    const late = within(screen.getByRole('region', { name: '逾期会签' }))
      .getAllByRole('row')
      .slice(1);
    expect(late).toHaveLength(1);
    expect(late[0]).toHaveTextContent('人民银行六安市中心支行');
    expect(late[0]).toHaveTextContent('已逾期');
    const all = within(screen.getByRole('region', { name: '截止日期看板' }))
      .getAllByRole('row')
      .slice(1);
    expect(all[1]).toHaveTextContent('合肥海关驻六安办事处');
    expect(all[1]).not.toHaveTextContent('已逾期');
  });

  it('a refusal is shown in Chinese, not a blank page', () => {
    board.mockReturnValue({ data: undefined, error: new ApiError(403, { code: 'forbidden', detail: 'FIN' }), isFetching: false } as never);
    show();
    expect(screen.getAllByRole('alert')[0]).toHaveTextContent('无权执行此操作');
  });
});
