import { Alert, Button, Form, Input, Modal, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../lib/api/client';
import { claimsFor, MONEY, type ClaimValues } from '../apply/claims';
import type { Program } from '../../lib/programs';
import { formatMoney, label, problemText } from '../../lib/labels';
import { fen, objectedSupplement, openRecoveries, openSupplement, pendingRecheck, RECHECK_OUTCOME, recheckOutcome } from './after-decision';
import { allowedActions, type CaseAction, type CaseDetail, type Person } from './allowed-actions';
import type { ActionInput } from './case-api';
import { RecheckComparison } from './RecheckComparison';

/** The button names of 案件详情 (issues 17 and 21): one per command endpoint. */
export const ACTION_NAMES: Record<CaseAction, string> = {
  accept: '受理',
  return: '退回补正',
  'approve-opinion': '同意',
  'reject-opinion': '不同意',
  approve: '批准',
  reject: '驳回',
  disburse: '拨付',
  object: '提出异议',
  uphold: '维持',
  withdraw: '撤回',
  revoke: '撤销',
  repay: '登记还款',
  recheck: '复核',
  confirm: '确认并声明',
  'supplement-approve-opinion': '补发同意',
  'supplement-reject-opinion': '补发不同意',
  'supplement-approve': '批准补发',
  'supplement-disburse': '补发拨付',
  'supplement-overrule': '驳回异议并批准补发',
  'supplement-refuse': '不予补发',
};

const PRIMARY: ReadonlySet<CaseAction> = new Set([
  'accept',
  'approve',
  'approve-opinion',
  'disburse',
  'uphold',
  'repay',
  'recheck',
  'confirm',
  'supplement-approve-opinion',
  'supplement-approve',
  'supplement-disburse',
  'supplement-overrule',
]);
const DANGER: ReadonlySet<CaseAction> = new Set(['reject', 'withdraw', 'revoke', 'supplement-refuse']);

/** The reason field's label, for the actions that ask one. */
const REASON_LABEL: Partial<Record<CaseAction, string>> = {
  return: '退回理由',
  reject: '驳回理由',
  uphold: '维持理由',
  withdraw: '撤回理由',
  revoke: '撤销理由（骗取的事实）',
  'supplement-overrule': '不采纳异议的理由',
  'supplement-refuse': '不予补发的理由',
};

interface Props {
  detail: CaseDetail;
  person: Person;
  run: (action: CaseAction, input: ActionInput) => Promise<void>;
  /** After a refusal: read the case again, so the person sees what it is now. */
  refresh: () => void;
}

/**
 * Only what this person may do now is offered. A refusal (409 version conflict, 422 by the rules) shows
 * its Chinese message above the buttons and the fresh case is read again; the page never goes blank.
 */
export function CaseActions({ detail, person, run, refresh }: Props) {
  const actions = allowedActions(detail, person);
  const [open, setOpen] = useState<CaseAction | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ActionInput>();
  const approvable = detail.awardPreview?.amountCny;
  const owed = openRecoveries(detail);
  const recheck = pendingRecheck(detail);
  const supplement = openSupplement(detail);
  const objected = objectedSupplement(detail);

  async function submit(action: CaseAction, input: ActionInput): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await run(action, input);
      // Closing the dialog unmounts its form (destroyOnHidden), which forgets what was typed.
      setOpen(null);
    } catch (e) {
      setOpen(null);
      setError(e instanceof ApiError ? problemText(e.problem) : String(e));
      refresh();
    } finally {
      setBusy(false);
    }
  }

  if (actions.length === 0 && error === null) return null;
  return (
    <section aria-label="办理">
      {error && <Alert type="error" role="alert" title={error} showIcon style={{ marginBottom: 12 }} />}
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            type={PRIMARY.has(a) ? 'primary' : 'default'}
            danger={DANGER.has(a)}
            onClick={() => (a === 'accept' ? void submit(a, {}) : setOpen(a))}
            loading={busy && open === null && a === 'accept'}
          >
            {ACTION_NAMES[a]}
          </Button>
        ))}
      </Space>
      <Modal
        open={open !== null}
        title={open ? ACTION_NAMES[open] : ''}
        okText={open === 'recheck' ? '记录复核结果' : '确定'}
        cancelText="取消"
        confirmLoading={busy}
        width={open === 'recheck' ? 960 : undefined}
        onCancel={() => setOpen(null)}
        onOk={() =>
          void form.validateFields().then(
            (values) => submit(open!, open === 'confirm' ? { declarations: claimsFor(detail.program as Program, values as ClaimValues) } : values),
            () => undefined /* the form shows what is missing */,
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={owed.length > 0 ? { recoveryId: owed[0].recoveryId } : undefined}>
          {open && REASON_LABEL[open] && (
            <Form.Item label={REASON_LABEL[open]} name="reason" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {(open === 'approve-opinion' || open === 'reject-opinion' || open === 'supplement-approve-opinion' || open === 'supplement-reject-opinion') && (
            <Form.Item
              label="会签意见"
              name="comment"
              rules={[{ required: open === 'reject-opinion' || open === 'supplement-reject-opinion', whitespace: true, message: '请填写意见' }]}
            >
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {open === 'approve' && (
            <>
              <Form.Item
                label="批准金额（元）"
                name="amountCny"
                extra={approvable ? `可批准金额 ${formatMoney(approvable)}；留空即按可批准金额批准` : undefined}
                rules={[{ pattern: MONEY, message: '金额以元为单位，最多两位小数' }]}
              >
                <Input inputMode="decimal" />
              </Form.Item>
              <Form.Item
                label="低于可批准金额的理由"
                name="reasonIfLower"
                dependencies={['amountCny']}
                rules={[
                  ({ getFieldValue }) => ({
                    validator: async (_r, value: string | undefined) => {
                      const amount = getFieldValue('amountCny') as string | undefined;
                      if (amount && approvable && MONEY.test(amount) && fen(amount) < fen(approvable) && !value?.trim())
                        throw new Error('批准金额低于可批准金额时须说明理由');
                    },
                  }),
                ]}
              >
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {open === 'supplement-approve' && supplement && <p>批准补发 {formatMoney(supplement.differenceCny)}：差额计入上限并从专项资金承诺。</p>}
          {open === 'supplement-overrule' && objected && (
            <p>
              {label('unit', objected.objectedBy)} 不同意补发；批准补发 {formatMoney(objected.differenceCny)}：差额计入上限并从专项资金承诺。
            </p>
          )}
          {open === 'supplement-refuse' && objected && <p>不予补发 {formatMoney(objected.differenceCny)}：补发终止，不占用专项资金。</p>}
          {(open === 'disburse' || open === 'supplement-disburse') && (
            <Form.Item label="支付凭证号" name="paymentRef" rules={[{ required: true, whitespace: true, message: '请填写支付凭证号' }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
          {open === 'object' && (
            <>
              <Form.Item
                label="异议来源"
                name="source"
                extra="如：12345热线、来信、来访（注明时间）"
                rules={[{ required: true, whitespace: true, message: '请填写异议来源' }]}
              >
                <Input maxLength={500} />
              </Form.Item>
              <Form.Item label="异议内容" name="detail" rules={[{ required: true, whitespace: true, message: '请填写异议内容' }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
          {open === 'revoke' && (
            <Form.Item label="证据编号" name="evidenceRef" extra="公安或审计案卷编号" rules={[{ required: true, whitespace: true, message: '请填写证据编号' }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
          {open === 'repay' && (
            <>
              <Form.Item label="追回单" name="recoveryId" hidden={owed.length < 2} rules={[{ required: true, message: '请选择追回单' }]}>
                <Select options={owed.map((r) => ({ value: r.recoveryId, label: `${formatMoney(r.outstandingCny)} 待追回，${r.dueDate} 前` }))} />
              </Form.Item>
              <Form.Item label="银行流水号" name="repaymentRef" rules={[{ required: true, whitespace: true, message: '请填写银行流水号' }]}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item
                label="还款金额（元）"
                name="amountCny"
                dependencies={['recoveryId']}
                extra={owed.length === 1 ? `尚欠 ${formatMoney(owed[0].outstandingCny)}` : undefined}
                rules={[
                  { required: true, message: '请填写还款金额' },
                  { pattern: MONEY, message: '金额以元为单位，最多两位小数' },
                  ({ getFieldValue }) => ({
                    validator: async (_r, value: string | undefined) => {
                      const order = owed.find((r) => r.recoveryId === getFieldValue('recoveryId'));
                      if (!value || !MONEY.test(value) || !order) return;
                      if (fen(value) === 0n) throw new Error('还款金额须大于零');
                      if (fen(value) > fen(order.outstandingCny)) throw new Error(`还款金额不得超过尚欠金额 ${formatMoney(order.outstandingCny)}`);
                    },
                  }),
                ]}
              >
                <Input inputMode="decimal" />
              </Form.Item>
            </>
          )}
          {open === 'confirm' && <Declarations program={detail.program} />}
          {open === 'recheck' && recheck && (
            <>
              <RecheckComparison recheck={recheck} />
              <Alert
                type="info"
                showIcon
                style={{ marginTop: 12 }}
                title={`将记录的复核结果：${RECHECK_OUTCOME[recheckOutcome(recheck)]}`}
                description="复核结果由两次计算得出：金额降低的，已拨付则按差额生成追回单，未拨付则核减；提高的，差额补发，经会签和审批。"
              />
            </>
          )}
        </Form>
      </Modal>
    </section>
  );
}

/** 确认并声明 (免申即享): what the enterprise declares, as 申报 asks it of the same program. */
function Declarations({ program }: { program: string }) {
  if (program === 'P1')
    return (
      <>
        <Form.Item label="是否享受市级外贸政策奖励" name="otherMunicipalTradeAward" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label="放弃市级外贸政策奖励" name="waivesOtherMunicipalAward" valuePropName="checked">
          <Switch />
        </Form.Item>
      </>
    );
  if (program === 'P2a')
    return (
      <>
        <Form.Item label="在第三方平台开展推广运营" name="promotesOnThirdPartyPlatform" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.List name="platformFees" initialValue={[{}]}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline">
                  <Form.Item
                    label={`平台服务费（元）第${i + 1}笔`}
                    name={[f.name, 'amount']}
                    rules={[
                      { required: true, message: '请填写金额' },
                      { pattern: MONEY, message: '金额以元为单位，最多两位小数' },
                    ]}
                  >
                    <Input inputMode="decimal" />
                  </Form.Item>
                  <Form.Item label={`发票号 第${i + 1}笔`} name={[f.name, 'invoiceRef']}>
                    <Input />
                  </Form.Item>
                  <Button onClick={() => remove(f.name)}>删除</Button>
                </Space>
              ))}
              <Button onClick={() => add({})}>添加费用</Button>
            </>
          )}
        </Form.List>
      </>
    );
  return <p>本项目无需另行声明，确认即可。</p>;
}
