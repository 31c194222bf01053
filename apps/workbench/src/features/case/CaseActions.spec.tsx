import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UiConfig } from '../../app/providers';
import { ApiError } from '../../lib/api/client';
import type { CaseDetail, Person } from './allowed-actions';
import { CaseActions } from './CaseActions';

// Dialogs and their validation on a shared 2-core machine take seconds each.
jest.setTimeout(30_000);

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

/** Typing into antd's inputs letter by letter is slow under jsdom on a busy machine: the text is pasted. */
async function fill(input: HTMLElement, text: string): Promise<void> {
  await userEvent.clear(input);
  await userEvent.click(input);
  await userEvent.paste(text);
}

const COM_HEAD: Person = { unit: 'COM', role: 'head' };
const PUBLICITY = { from: '2020-03-02', until: '2020-03-09', workingDays: 5 };
const anAward = (over: Record<string, unknown> = {}) => ({ amountCny: '50000.00', computedCny: '50000.00', publicity: PUBLICITY, trace: [], ...over });
const computation = (approvableCny: string) => ({ computedCny: approvableCny, approvableCny, trace: [], customsEventIds: ['e1'] });
const recheckFlag = {
  type: 'RecheckRequired',
  at: '2020-03-12T02:00:00.000Z',
  approvedCny: '50000.00',
  decided: computation('50000.00'),
  revised: computation('30000.00'),
  flaggedOn: '2020-03-12',
};
const order = (over: Record<string, unknown> = {}) => ({
  recoveryId: 'r-1',
  cause: 'revocation',
  amountCny: '50000.00',
  dueDate: '2020-04-21',
  repaidCny: '0.00',
  outstandingCny: '50000.00',
  settled: false,
  repayments: [],
  ...over,
});

describe('after the decision, 案件详情 offers what each role may do (docs/after-decision.md)', () => {
  it('an approved award in 公示: COM (officer or head) may 提出异议; the FIN head may 撤销; the FIN officer 拨付', () => {
    const c = aCase({ status: 'approved', award: anAward() as never });
    for (const [person, names] of [
      [COM_OFFICER, ['提出异议']],
      [COM_HEAD, ['提出异议']],
      [FIN_HEAD, ['撤销']],
      [FIN_OFFICER, ['拨付']],
    ] as const) {
      const { unmount } = render(
        <UiConfig>
          <CaseActions detail={c} person={person} run={jest.fn()} refresh={jest.fn()} />
        </UiConfig>,
      );
      expect(buttonNames()).toEqual(names);
      unmount();
    }
  });

  it('an award approved before 公示 existed takes no objection', () => {
    show(aCase({ status: 'approved', award: anAward({ publicity: null }) as never }), COM_OFFICER);
    expect(buttonNames()).toEqual([]);
  });

  it('an objected award: the lead unit head may 维持, 撤回 or 撤销; its officer nothing', () => {
    show(aCase({ status: 'publicity-objected', award: anAward() as never }), FIN_HEAD);
    expect(buttonNames()).toEqual(['维持', '撤回', '撤销']);
    cleanup();
    show(aCase({ status: 'publicity-objected', award: anAward() as never }), FIN_OFFICER);
    expect(buttonNames()).toEqual([]);
  });

  it('an open recovery order: the FIN officer may 登记还款; once settled, no more', () => {
    show(aCase({ status: 'revoked', award: anAward() as never, recoveries: [order()] as never }), FIN_OFFICER);
    expect(buttonNames()).toEqual(['登记还款']);
    cleanup();
    show(aCase({ status: 'revoked', award: anAward() as never, recoveries: [order({ settled: true, outstandingCny: '0.00' })] as never }), FIN_OFFICER);
    expect(buttonNames()).toEqual([]);
  });

  it('a pending recheck: the lead unit head may 复核, once; a recorded one is not offered again', () => {
    show(aCase({ status: 'disbursed', award: anAward() as never, sequels: [recheckFlag] as never }), FIN_HEAD);
    expect(buttonNames()).toEqual(['复核', '撤销']);
    cleanup();
    const recorded = {
      type: 'RecheckRecorded',
      at: '2020-03-13T02:00:00.000Z',
      outcome: 'lower',
      differenceCny: '20000.00',
      revisedCny: '30000.00',
      checkedBy: 'fin-head',
    };
    show(aCase({ status: 'disbursed', award: anAward() as never, sequels: [recheckFlag, recorded] as never }), FIN_HEAD);
    expect(buttonNames()).toEqual(['撤销']);
  });
});

describe('the after-decision forms check before sending', () => {
  it('提出异议 asks for the source and the content', async () => {
    const { run } = show(aCase({ status: 'approved', award: anAward() as never }), COM_OFFICER);
    await userEvent.click(screen.getByRole('button', { name: '提出异议' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(await within(dialog).findByText('请填写异议来源')).toBeInTheDocument();
    expect(within(dialog).getByText('请填写异议内容')).toBeInTheDocument();
    expect(run).not.toHaveBeenCalled();
    await fill(within(dialog).getByLabelText('异议来源'), '12345热线');
    await fill(within(dialog).getByLabelText('异议内容'), '出口额重复申报');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(run).toHaveBeenCalledWith('object', expect.objectContaining({ source: '12345热线', detail: '出口额重复申报' }));
  });

  it('撤销 asks for the reason and the evidence reference', async () => {
    const { run } = show(aCase({ status: 'disbursed', award: anAward() as never }), FIN_HEAD);
    await userEvent.click(screen.getByRole('button', { name: '撤销' }));
    const dialog = await screen.findByRole('dialog');
    await fill(within(dialog).getByLabelText('撤销理由（骗取的事实）'), '重复申报');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(await within(dialog).findByText('请填写证据编号')).toBeInTheDocument();
    expect(run).not.toHaveBeenCalled();
    await fill(within(dialog).getByLabelText('证据编号'), 'LA-PSB-2020-0417');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(run).toHaveBeenCalledWith('revoke', expect.objectContaining({ reason: '重复申报', evidenceRef: 'LA-PSB-2020-0417' }));
  });

  it('登记还款 refuses more than is owed and a third decimal, then sends the order, the reference and the amount', async () => {
    const { run } = show(aCase({ status: 'revoked', award: anAward() as never, recoveries: [order({ outstandingCny: '30000.00' })] as never }), FIN_OFFICER);
    await userEvent.click(screen.getByRole('button', { name: '登记还款' }));
    const dialog = await screen.findByRole('dialog');
    await fill(within(dialog).getByLabelText('银行流水号'), 'BOC-RET-1');
    await fill(within(dialog).getByLabelText('还款金额（元）'), '30000.01');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(await within(dialog).findByText('还款金额不得超过尚欠金额 ¥30,000.00')).toBeInTheDocument();
    await fill(within(dialog).getByLabelText('还款金额（元）'), '1.234');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(await within(dialog).findByText('金额以元为单位，最多两位小数')).toBeInTheDocument();
    expect(run).not.toHaveBeenCalled();
    await fill(within(dialog).getByLabelText('还款金额（元）'), '30000.00');
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(run).toHaveBeenCalledWith('repay', { recoveryId: 'r-1', repaymentRef: 'BOC-RET-1', amountCny: '30000.00' });
  });

  it('复核 shows both computations side by side and the outcome it will record', async () => {
    const { run } = show(aCase({ status: 'disbursed', award: anAward() as never, sequels: [recheckFlag] as never }), FIN_HEAD);
    await userEvent.click(screen.getByRole('button', { name: '复核' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('审批时的计算')).toHaveTextContent('¥50,000.00');
    expect(within(dialog).getByLabelText('修订后的计算')).toHaveTextContent('¥30,000.00');
    expect(within(dialog).getByText(/将记录的复核结果：金额降低/)).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: '记录复核结果' }));
    expect(run).toHaveBeenCalledWith('recheck', expect.anything());
  });
});

describe('免申即享: the enterprise confirms the case COM opened for it', () => {
  const proactive = (confirmedBy: string | null) => ({
    openedBy: 'com-liu',
    openedAt: '2020-03-02T02:00:00.000Z',
    declarationsPending: ['otherMunicipalTradeAward'],
    computation: { computedCny: '50000.00', amountCny: '50000.00', trace: [], customsEventIds: [] },
    confirmedBy,
    confirmedAt: confirmedBy ? '2020-03-03T02:00:00.000Z' : null,
  });

  it('only the enterprise is offered 确认并声明, once; the lead unit cannot accept before it', () => {
    show(aCase({ program: 'P1', status: 'submitted', proactive: proactive(null) } as never), APPLICANT);
    expect(buttonNames()).toEqual(['确认并声明']);
    cleanup();
    show(aCase({ program: 'P1', status: 'submitted', proactive: proactive('ding') } as never), APPLICANT);
    expect(buttonNames()).toEqual([]);
  });

  it('sends the P1 declarations in the shape of a submission claims', async () => {
    const { run } = show(aCase({ program: 'P1', status: 'submitted', proactive: proactive(null) } as never), APPLICANT);
    await userEvent.click(screen.getByRole('button', { name: '确认并声明' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('switch', { name: '是否享受市级外贸政策奖励' }));
    await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
    expect(run).toHaveBeenCalledWith('confirm', { declarations: { otherMunicipalTradeAward: true } });
  });
});

describe('补发: a supplementary award goes through the normal approval', () => {
  const supplement = (over: Record<string, unknown>) => ({
    supplementId: 's-1',
    differenceCny: '2000.00',
    countersignSkipped: false,
    pending: [{ unit: 'COM', dueDate: '2020-03-24' }],
    opinions: [],
    objectedBy: null,
    approved: null,
    paid: null,
    ...over,
  });
  const withSupplement = (over: Record<string, unknown>) => aCase({ status: 'disbursed', award: anAward() as never, supplements: [supplement(over)] } as never);

  it('a cooperating unit with its opinion pending countersigns; the head approves only once every opinion is in; FIN pays it once approved', () => {
    show(withSupplement({}), COM_OFFICER);
    expect(buttonNames()).toEqual(['补发同意', '补发不同意']);
    cleanup();
    show(withSupplement({}), FIN_HEAD);
    expect(buttonNames()).toEqual(['撤销']);
    cleanup();
    show(withSupplement({ pending: [] }), FIN_HEAD);
    expect(buttonNames()).toEqual(['撤销', '批准补发']);
    cleanup();
    show(withSupplement({ pending: [], approved: { amountCny: '2000.00', totalCny: '52000.00', approvedBy: 'fin-head', commitmentId: 'c' } }), FIN_OFFICER);
    expect(buttonNames()).toEqual(['补发拨付']);
  });

  it('an objected supplement awaits the head to decide on the objection; once decided, or paid, nothing more', () => {
    show(withSupplement({ pending: [], objectedBy: 'COM', objectionDecision: null }), FIN_HEAD);
    expect(buttonNames()).toEqual(['撤销', '驳回异议并批准补发', '不予补发']);
    cleanup();
    show(withSupplement({ pending: [], objectedBy: 'COM', objectionDecision: null }), FIN_OFFICER);
    expect(buttonNames()).toEqual([]);
    cleanup();
    show(withSupplement({ pending: [], objectedBy: 'COM', objectionDecision: { decision: 'refuse', reason: 'r', decidedBy: 'fin-head' } }), FIN_HEAD);
    expect(buttonNames()).toEqual(['撤销']);
    cleanup();
    const overruled = { objectedBy: 'COM', objectionDecision: { decision: 'approve', reason: 'r', decidedBy: 'fin-head' } };
    show(withSupplement({ pending: [], ...overruled, approved: { totalCny: '52000.00' } }), FIN_OFFICER);
    expect(buttonNames()).toEqual(['补发拨付']);
    cleanup();
    show(withSupplement({ pending: [], approved: { totalCny: '52000.00' }, paid: { paymentRef: 'P', disbursedBy: 'x' } }), FIN_OFFICER);
    expect(buttonNames()).toEqual([]);
  });
});
