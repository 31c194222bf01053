import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import type { CaseDetail, Person } from './allowed-actions';
import { CaseActions } from './CaseActions';

function aCase(over: Partial<CaseDetail>): CaseDetail {
  return {
    applicationId: 'app-1',
    program: 'P2a',
    year: 2019,
    status: 'submitted',
    leadUnit: 'FIN',
    cooperatingUnits: ['COM', 'CUS', 'PBC'],
    round: 0,
    pendingUnits: [],
    opinions: [],
    overdueReviews: [],
    awardPreview: null,
    award: null,
    disbursement: null,
    version: 1,
    ...over,
  } as CaseDetail;
}

const FIN_OFFICER: Person = { unit: 'FIN', role: 'officer' };
const FIN_HEAD: Person = { unit: 'FIN', role: 'head' };
const COM_OFFICER: Person = { unit: 'COM', role: 'officer' };
const APPLICANT: Person = { unit: 'APPLICANT', role: 'applicant', uscc: '91341502MA0000001X' };

function buttonNames(): string[] {
  return screen.queryAllByRole('button').map((b) => b.textContent ?? '');
}

function show(detail: CaseDetail, person: Person, run = jest.fn().mockResolvedValue(undefined), refresh = jest.fn()) {
  render(
    <UiConfig>
      <CaseActions detail={detail} person={person} run={run} refresh={refresh} />
    </UiConfig>,
  );
  return { run, refresh };
}

describe('案件详情 offers only what the logged-in person may do now', () => {
  it('a submitted case: the lead unit officer may 受理 or 退回补正, nothing else', () => {
    show(aCase({ status: 'submitted' }), FIN_OFFICER);
    expect(buttonNames()).toEqual(['受理', '退回补正']);
  });

  it('a submitted case: the head, another unit and the applicant see no action', () => {
    for (const person of [FIN_HEAD, COM_OFFICER, APPLICANT]) {
      const { unmount } = render(
        <UiConfig>
          <CaseActions detail={aCase({ status: 'submitted' })} person={person} run={jest.fn()} refresh={jest.fn()} />
        </UiConfig>,
      );
      expect(screen.queryAllByRole('button')).toHaveLength(0);
      unmount();
    }
  });

  it('under review: a cooperating unit with a pending review may 同意 or 不同意; one that has answered may not', () => {
    const pending = aCase({
      status: 'under-review',
      round: 1,
      pendingUnits: [{ unit: 'COM', round: 1, dueDate: '2019-03-15', overdue: false, overdueAsOf: null }],
    });
    show(pending, COM_OFFICER);
    expect(buttonNames()).toEqual(['同意', '不同意']);
  });

  it('ready for decision: the head may 批准 or 驳回; the officer only 驳回', () => {
    show(aCase({ status: 'ready-for-decision', round: 1 }), FIN_HEAD);
    expect(buttonNames()).toEqual(['批准', '驳回']);
  });

  it('approved: the FIN officer may 拨付, once', () => {
    show(aCase({ status: 'approved' }), FIN_OFFICER);
    expect(buttonNames()).toEqual(['拨付']);
  });
});

describe('a refusal is shown in Chinese, with the fresh case', () => {
  it('a 409 version conflict renders its message and reads the case again', async () => {
    const conflict = new ApiError(409, { status: 409, code: 'version-conflict', detail: 'expected version 1, the stream is at 2' });
    const { run, refresh } = show(aCase({ status: 'submitted' }), FIN_OFFICER, jest.fn().mockRejectedValue(conflict));
    await userEvent.click(screen.getByRole('button', { name: '受理' }));
    expect(run).toHaveBeenCalledWith('accept', {});
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/数据已被他人修改，请刷新后重试/)).toBeInTheDocument();
    expect(refresh).toHaveBeenCalled();
  });

  it('退回补正 asks for the reason before sending it', async () => {
    const { run } = show(aCase({ status: 'submitted' }), FIN_OFFICER);
    await userEvent.click(screen.getByRole('button', { name: '退回补正' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(await within(dialog).findByText('请填写理由')).toBeInTheDocument();
    expect(run).not.toHaveBeenCalled();
    await userEvent.type(within(dialog).getByLabelText('退回理由'), '缺少发票');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(run).toHaveBeenCalledWith('return', expect.objectContaining({ reason: '缺少发票' }));
  });
});
