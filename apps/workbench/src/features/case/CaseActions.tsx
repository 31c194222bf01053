import { Alert, Button, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../lib/api/client';
import { MONEY } from '../apply/claims';
import { formatMoney, problemText } from '../../lib/labels';
import { allowedActions, type CaseAction, type CaseDetail, type Person } from './allowed-actions';
import type { ActionInput } from './case-api';

/** The button names of 案件详情 (issue 17): one per command endpoint. */
export const ACTION_NAMES: Record<CaseAction, string> = {
  accept: '受理',
  return: '退回补正',
  'approve-opinion': '同意',
  'reject-opinion': '不同意',
  approve: '批准',
  reject: '驳回',
  disburse: '拨付',
};

/** Compares two decimal strings of yuan with at most two decimals, exactly (in fen). */
function fen(amount: string): bigint {
  const [whole, cents = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt((cents + '00').slice(0, 2));
}

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
            type={a === 'accept' || a === 'approve' || a === 'approve-opinion' || a === 'disburse' ? 'primary' : 'default'}
            danger={a === 'reject'}
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
        okText="确定"
        cancelText="取消"
        confirmLoading={busy}
        onCancel={() => setOpen(null)}
        onOk={() =>
          void form.validateFields().then(
            (values) => submit(open!, values),
            () => undefined /* the form shows what is missing */,
          )
        }
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false}>
          {(open === 'return' || open === 'reject') && (
            <Form.Item label={open === 'return' ? '退回理由' : '驳回理由'} name="reason" rules={[{ required: true, whitespace: true, message: '请填写理由' }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          )}
          {(open === 'approve-opinion' || open === 'reject-opinion') && (
            <Form.Item label="会签意见" name="comment" rules={[{ required: open === 'reject-opinion', whitespace: true, message: '请填写意见' }]}>
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
          {open === 'disburse' && (
            <Form.Item label="支付凭证号" name="paymentRef" rules={[{ required: true, whitespace: true, message: '请填写支付凭证号' }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </section>
  );
}
