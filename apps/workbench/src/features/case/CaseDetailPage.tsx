import { useQueryClient } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Result, Space, Spin, Steps, Table, Tag, Timeline, Typography } from 'antd';
import { useParams } from 'react-router';
import { ApiError } from '../../lib/api/client';
import { beijing, formatMoney, label, problemText } from '../../lib/labels';
import { CLAUSE, type Program } from '../../lib/programs';
import { useSessionPerson } from '../auth/person';
import type { CaseDetail } from './allowed-actions';
import { AfterDecision } from './AfterDecision';
import { CaseActions } from './CaseActions';
import { ProactiveCard } from './ProactiveCard';
import { caseKey, historyKey, runAction, useCase, useFund, useHistory } from './case-api';

const STEPS = ['提交', '受理', '会签', '审批', '拨付'];

/** Where the case stands on 提交 → 受理 → 会签 → 审批 → 拨付, and whether it stopped there. */
export function stepOf(status: string): { current: number; status: 'process' | 'error' | 'finish' | 'wait' } {
  switch (status) {
    case 'submitted':
      return { current: 1, status: 'process' };
    case 'returned':
      return { current: 1, status: 'error' };
    case 'under-review':
      return { current: 2, status: 'process' };
    case 'objected':
      return { current: 2, status: 'error' };
    case 'ready-for-decision':
      return { current: 3, status: 'process' };
    case 'rejected':
      return { current: 3, status: 'error' };
    case 'approved':
      return { current: 4, status: 'process' };
    // After the decision: an objection during 公示 holds the payment; a withdrawn or revoked award stops there.
    case 'publicity-objected':
    case 'withdrawn':
    case 'revoked':
      return { current: 4, status: 'error' };
    default:
      return { current: 4, status: 'finish' };
  }
}

/** 案件详情 (ant-design-pro's 高级详情页): the case, its steps and events, the countersign and the award. */
export function CaseDetailPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const person = useSessionPerson();
  const detail = useCase(id);
  const history = useHistory(id);
  const isDepartment = person.unit !== 'APPLICANT';
  const fund = useFund(detail.data?.year ?? 0, isDepartment && detail.data !== undefined);

  if (detail.isPending) return <Spin />;
  if (detail.error) {
    return <Result status="warning" title={detail.error instanceof ApiError ? problemText(detail.error.problem) : String(detail.error)} />;
  }
  const c = detail.data;
  const refresh = (): void => {
    void client.invalidateQueries({ queryKey: caseKey(id) });
    void client.invalidateQueries({ queryKey: historyKey(id) });
    void client.invalidateQueries({ queryKey: ['inbox'] });
    void client.invalidateQueries({ queryKey: ['fund'] });
  };
  const step = stepOf(c.status);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            案件详情
          </Typography.Title>
        }
        extra={
          <Space>
            {c.proactive && <Tag color="purple">免申</Tag>}
            <Tag color={step.status === 'error' ? 'red' : step.status === 'finish' ? 'green' : 'blue'}>{label('status', c.status)}</Tag>
          </Space>
        }
      >
        <Descriptions column={2} size="small">
          <Descriptions.Item label="项目">
            {label('program', c.program)}（{CLAUSE[c.program as Program] ?? c.program}）
          </Descriptions.Item>
          <Descriptions.Item label="年度">{c.year}</Descriptions.Item>
          <Descriptions.Item label="企业名称">{c.beneficiary.name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="统一社会信用代码">{c.beneficiary.uscc}</Descriptions.Item>
          <Descriptions.Item label="所在县区">{c.display.county}</Descriptions.Item>
          <Descriptions.Item label="状态">{label('status', c.status)}</Descriptions.Item>
          <Descriptions.Item label="提交时间">{beijing(c.submittedAt)}</Descriptions.Item>
          <Descriptions.Item label="更新时间">{beijing(c.updatedAt)}</Descriptions.Item>
          {c.returnReason && <Descriptions.Item label="退回理由">{c.returnReason}</Descriptions.Item>}
          {c.awaiting.length > 0 && (
            <Descriptions.Item label="待办理">
              {c.awaiting.map((a) => `${label('unit', a.unit)} · ${label('next-step', a.step)}${a.dueDate ? `（${a.dueDate} 前）` : ''}`).join('；')}
            </Descriptions.Item>
          )}
        </Descriptions>
        <Steps style={{ margin: '16px 0' }} current={step.current} status={step.status} items={STEPS.map((title) => ({ title }))} />
        <CaseActions detail={c} person={person} run={async (action, input) => (await runAction(c, action, input), refresh())} refresh={refresh} />
      </Card>
      <ProactiveCard c={c} />
      <Countersign c={c} />
      <Award c={c} fund={fund.data} />
      <AfterDecision c={c} />
      <Card title="办理记录">
        {history.error ? (
          <Alert type="error" role="alert" title={history.error instanceof ApiError ? problemText(history.error.problem) : String(history.error)} />
        ) : (
          <Timeline
            items={(history.data?.events ?? []).map((e) => ({
              key: e.eventId,
              content: (
                <span>
                  {beijing(e.occurredAt)} · {label('unit', e.actor.unit)} · {e.actor.user}（{label('role', e.actor.role)}）· {label('event', e.type)}
                </span>
              ),
            }))}
          />
        )}
      </Card>
    </Space>
  );
}

function Countersign({ c }: { c: CaseDetail }) {
  if (c.round === 0) return null;
  const rows = c.cooperatingUnits.map((unit) => {
    const opinion = [...c.opinions].reverse().find((o) => o.unit === unit && o.round === c.round);
    const pending = c.pendingUnits.find((p) => p.unit === unit);
    const overdue = c.overdueReviews.find((o) => o.unit === unit && o.round === c.round);
    return { unit, opinion, pending, overdue };
  });
  return (
    <Card title="会签">
      <Table
        rowKey="unit"
        pagination={false}
        size="small"
        dataSource={rows}
        columns={[
          { title: '单位', dataIndex: 'unit', render: (u: string) => label('unit', u) },
          { title: '意见', key: 'verdict', render: (_v, r) => (r.opinion ? label('verdict', r.opinion.verdict) : '待会签') },
          { title: '说明', key: 'comment', render: (_v, r) => r.opinion?.comment ?? '' },
          { title: '截止日期', key: 'due', render: (_v, r) => r.pending?.dueDate ?? r.overdue?.dueDate ?? '—' },
          { title: '逾期', key: 'overdue', render: (_v, r) => (r.pending?.overdue || r.overdue ? <Tag color="red">已逾期</Tag> : '否') },
        ]}
      />
    </Card>
  );
}

function Award({ c, fund }: { c: CaseDetail; fund?: { availableCny?: string; appropriationCny?: string } }) {
  const award = c.award;
  const preview = c.awardPreview;
  const trace = award?.trace ?? preview?.trace ?? [];
  if (!award && !preview) return null;
  return (
    <Card title={award ? '核定奖励' : '奖励测算（预览）'}>
      <Descriptions column={2} size="small">
        {award ? (
          <>
            <Descriptions.Item label="批准金额">{formatMoney(award.amountCny)}</Descriptions.Item>
            <Descriptions.Item label="测算金额">{formatMoney(award.computedCny)}</Descriptions.Item>
            <Descriptions.Item label="批准时间">{beijing(award.approvedAt)}</Descriptions.Item>
            {award.capApplied && <Descriptions.Item label="适用上限">{label('cap', award.capApplied)}</Descriptions.Item>}
          </>
        ) : (
          <>
            <Descriptions.Item label="可批准金额">{preview?.amountCny ? formatMoney(preview.amountCny) : '—'}</Descriptions.Item>
            <Descriptions.Item label="测算金额">{preview?.computedCny ? formatMoney(preview.computedCny) : '—'}</Descriptions.Item>
            {preview?.capApplied && <Descriptions.Item label="适用上限">{label('cap', preview.capApplied)}</Descriptions.Item>}
            {(preview?.reasons ?? []).length > 0 && (
              <Descriptions.Item label="不予奖励原因">{preview!.reasons!.map((r) => label('reason', r)).join('；')}</Descriptions.Item>
            )}
          </>
        )}
        {fund?.availableCny !== undefined && <Descriptions.Item label="专项资金可用余额">{formatMoney(fund.availableCny)}</Descriptions.Item>}
        {c.disbursement && (
          <Descriptions.Item label="拨付">{String((c.display.disbursement as Record<string, unknown> | null)?.amountCny ?? '已拨付')}</Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5}>计算过程</Typography.Title>
      <ol aria-label="计算过程">
        {trace.map((t, i) => (
          <li key={i}>
            {t.step}：{t.value}
            {t.clause ? `（${t.clause}）` : ''}
          </li>
        ))}
      </ol>
    </Card>
  );
}
