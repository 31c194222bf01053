import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UiConfig } from '../../app/providers';
import { api, ApiError } from '../../lib/api/client';
import { AfterDecision } from './AfterDecision';
import type { CaseDetail, Person } from './allowed-actions';
import { runAction } from './case-api';
import { CaseActions } from './CaseActions';

// Dialogs and their validation on a shared 2-core machine take seconds each.
jest.setTimeout(30_000);

/**
 * 补发 over an objection (docs/after-decision.md, docs/api.md `POST /supplement/objection-decision`): a cooperating
 * unit answered 不同意, so the lead unit's head approves the 补发 over the objection or refuses it, giving a reason.
 */
const FIN_HEAD: Person = { unit: 'FIN', role: 'head' };
const DECIDED_AT = '2020-03-30T02:15:00.000Z';

function aCase(supplement: Record<string, unknown>, sequels: unknown[] = []): CaseDetail {
  return {
    applicationId: 'app-1',
    program: 'P2a',
    year: 2019,
    status: 'disbursed',
    leadUnit: 'FIN',
    cooperatingUnits: ['COM', 'CUS', 'PBC'],
    round: 1,
    pendingUnits: [],
    opinions: [],
    overdueReviews: [],
    awardPreview: null,
    award: { amountCny: '50000.00', computedCny: '50000.00', publicity: null, trace: [] },
    disbursement: null,
    recoveries: [],
    sequels,
    supplements: [
      {
        supplementId: 's-1',
        differenceCny: '2000.00',
        countersignSkipped: false,
        pending: [],
        opinions: [{ unit: 'COM', verdict: 'reject', comment: '数据存疑', author: 'com-officer' }],
        objectedBy: 'COM',
        objectionDecision: null,
        approved: null,
        paid: null,
        ...supplement,
      },
    ],
    version: 7,
  } as unknown as CaseDetail;
}

function show(detail: CaseDetail, run = jest.fn().mockResolvedValue(undefined), refresh = jest.fn()) {
  render(
    <UiConfig>
      <CaseActions detail={detail} person={FIN_HEAD} run={run} refresh={refresh} />
    </UiConfig>,
  );
  return { run, refresh };
}

async function decide(button: string, reasonLabel: string, reason: string): Promise<void> {
  await userEvent.click(screen.getByRole('button', { name: button }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
  expect(await within(dialog).findByText('请填写理由')).toBeInTheDocument();
  await userEvent.type(within(dialog).getByLabelText(reasonLabel), reason);
  await userEvent.click(within(dialog).getByRole('button', { name: '确定' }));
}

describe('补发异议: the lead unit head decides on an objected supplementary award', () => {
  it('驳回异议并批准补发 asks a reason, then sends decision approve with it', async () => {
    const { run } = show(aCase({}));
    await decide('驳回异议并批准补发', '不采纳异议的理由', '海关数据已核实');
    expect(run).toHaveBeenCalledWith('supplement-overrule', { reason: '海关数据已核实' });
  });

  it('不予补发 asks a reason, then sends decision refuse with it', async () => {
    const { run } = show(aCase({}));
    await decide('不予补发', '不予补发的理由', '采纳市商务局意见');
    expect(run).toHaveBeenCalledWith('supplement-refuse', { reason: '采纳市商务局意见' });
  });

  it('a refusal by the server is shown in Chinese and the case is read again', async () => {
    const refusal = new ApiError(422, { status: 422, code: 'supplement-not-objected', detail: 'no unit objected' });
    const { refresh } = show(aCase({}), jest.fn().mockRejectedValue(refusal));
    await decide('不予补发', '不予补发的理由', '理由');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/补发会签无异议，无需对异议作出决定/)).toBeInTheDocument();
    expect(refresh).toHaveBeenCalled();
  });

  it.each([
    ['supplement-overrule', 'approve'],
    ['supplement-refuse', 'refuse'],
  ] as const)('%s posts to /supplement/objection-decision with decision %s, the reason and the version shown', async (action, decision) => {
    const post = jest.spyOn(api, 'POST').mockResolvedValue({ data: { position: 9 }, response: { ok: true, status: 200 } } as never);
    try {
      await runAction(aCase({}), action, { reason: '理由' });
      expect(post).toHaveBeenCalledWith('/api/v1/applications/{id}/supplement/objection-decision', {
        params: { path: { id: 'app-1' }, header: { 'If-Match': '7' } },
        body: { decision, reason: '理由' },
      });
    } finally {
      post.mockRestore();
    }
  });
});

describe('公示与追回 shows the decision on the objection: who, when and why', () => {
  function shown(c: CaseDetail): string {
    render(
      <UiConfig>
        <AfterDecision c={c} />
      </UiConfig>,
    );
    return screen.getByRole('region', { name: '补发' }).textContent ?? '';
  }

  it('awaiting: the objecting unit and that the head decides', () => {
    expect(shown(aCase({}))).toContain('市商务局 不同意，待牵头单位负责人决定');
  });

  it('refused: 不予补发, by whom, when (Beijing time) and the reason', () => {
    const c = aCase({ objectionDecision: { decision: 'refuse', reason: '采纳市商务局意见', decidedBy: 'fin-head' } }, [
      { type: 'SupplementaryAwardRefused', at: DECIDED_AT, supplementId: 's-1', reason: '采纳市商务局意见', refusedBy: 'fin-head' },
    ]);
    const text = shown(c);
    expect(text).toContain('市商务局 不同意；不予补发 · fin-head，2020-03-30 10:15');
    expect(text).toContain('：采纳市商务局意见');
  });

  it('approved over the objection: 异议不予采纳 with who, when and why, then the approval', () => {
    const c = aCase(
      {
        objectionDecision: { decision: 'approve', reason: '海关数据已核实', decidedBy: 'fin-head' },
        approved: { amountCny: '2000.00', totalCny: '52000.00', approvedBy: 'fin-head', commitmentId: 'c' },
      },
      [{ type: 'SupplementObjectionOverruled', at: DECIDED_AT, supplementId: 's-1', reason: '海关数据已核实', decidedBy: 'fin-head' }],
    );
    const text = shown(c);
    expect(text).toContain('异议不予采纳 · fin-head，2020-03-30 10:15');
    expect(text).toContain('：海关数据已核实；已批准 · fin-head');
  });
});
