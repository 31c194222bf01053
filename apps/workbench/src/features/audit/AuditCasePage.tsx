import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Space, Spin, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { beijing, errorText, formatMoney, label } from '../../lib/labels';
import { beijingIso } from './as-of-time';
import {
  bundleHref,
  READS_LIMIT,
  useAsApproved,
  useAsOf,
  useCausalChain,
  useExplanation,
  useReads,
  useStreamHistory,
  type HistoryEntry,
  type StreamAsOf,
} from './audit-api';
import { labelOrCode } from './VerifyReportView';

function who(actor: HistoryEntry['actor']): string {
  return `${label('unit', actor.unit)} · ${actor.user}（${label('role', actor.role)}）`;
}

function Failure({ error }: { error: unknown }) {
  return <Alert type="error" role="alert" showIcon title={errorText(error)} />;
}

/** 审计 of one case: its history, 时点回放, 审批时所见, 计算说明, causal chain, 查阅记录 and the bundle to download. */
export function AuditCasePage() {
  const { id = '' } = useParams();
  const [tab, setTab] = useState('history');
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          案件审计
        </Typography.Title>
      }
      extra={
        <Space>
          <Link to={`/cases/${id}`}>案件详情</Link>
          <a href={bundleHref(id)} download>
            <Button>下载审计包</Button>
          </a>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">案件编号 {id}</Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'history', label: '历史记录', children: <HistoryTab id={id} /> },
          { key: 'as-of', label: '时点回放', children: <AsOfTab id={id} /> },
          { key: 'as-approved', label: '审批时所见', children: <AsApprovedTab id={id} /> },
          { key: 'explanation', label: '计算说明', children: <ExplanationTab id={id} /> },
          { key: 'chain', label: '因果链', children: <ChainTab id={id} /> },
          { key: 'reads', label: '查阅记录', children: <ReadsTab id={id} /> },
        ]}
      />
    </Card>
  );
}

function HistoryTab({ id }: { id: string }) {
  const history = useStreamHistory(id);
  if (history.isPending) return <Spin />;
  if (history.error) return <Failure error={history.error} />;
  return (
    <Timeline
      items={history.data.events.map((e) => ({
        key: e.eventId,
        content: (
          <span>
            #{e.globalPosition} · {beijing(e.occurredAt)} · {who(e.actor)} · {labelOrCode('event', e.type)}
          </span>
        ),
      }))}
    />
  );
}

function AsOfTab({ id }: { id: string }) {
  const [picked, setPicked] = useState<Dayjs | null>(null);
  const [at, setAt] = useState<string | null>(null);
  const asOf = useAsOf(id, at);
  return (
    <>
      <Form layout="inline" onFinish={() => picked && setAt(beijingIso(picked))} style={{ marginBottom: 16 }}>
        <Form.Item label="回放时点（北京时间）" htmlFor="as-of-time">
          <DatePicker id="as-of-time" showTime needConfirm={false} format="YYYY-MM-DD HH:mm:ss" value={picked} onChange={setPicked} />
        </Form.Item>
        <Button type="primary" htmlType="submit" disabled={!picked}>
          回放
        </Button>
      </Form>
      {asOf.error && <Failure error={asOf.error} />}
      {asOf.data && <AsOfView view={asOf.data} />}
    </>
  );
}

function AsOfView({ view }: { view: StreamAsOf }) {
  const at = 'time' in view.at ? beijing(view.at.time) : `全局位置 ${view.at.globalPosition}`;
  if (view.version < 0)
    return (
      <section aria-label="回放结果">
        <Empty description={`${at}：该时点案件尚未提交`} />
      </section>
    );
  const state = view.state as { status?: string; program?: string; year?: number; round?: number } | null;
  return (
    <section aria-label="回放结果">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="回放时点">{at}</Descriptions.Item>
        <Descriptions.Item label="当时状态">{state?.status ? label('status', state.status) : '—'}</Descriptions.Item>
        <Descriptions.Item label="版本">{view.version}</Descriptions.Item>
        <Descriptions.Item label="最后事件">{view.lastEvent ? labelOrCode('event', view.lastEvent.type) : '—'}</Descriptions.Item>
        <Descriptions.Item label="记录时间">{beijing(view.lastEvent?.recordedAt)}</Descriptions.Item>
        <Descriptions.Item label="全局位置">{view.lastEvent?.globalPosition ?? '—'}</Descriptions.Item>
      </Descriptions>
      <details style={{ marginTop: 12 }}>
        <summary>完整状态</summary>
        <pre style={{ maxHeight: 400, overflow: 'auto' }}>{JSON.stringify(view.state, null, 2)}</pre>
      </details>
    </section>
  );
}

function AsApprovedTab({ id }: { id: string }) {
  const views = useAsApproved(id, true);
  if (views.isPending) return <Spin />;
  if (views.error) return <Failure error={views.error} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {views.data.map((v) => (
        <Card key={v.approval.approvalEventId} size="small" title={`批准于 ${beijing(v.decision.approvedAt)}`}>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="批准金额">{formatMoney(v.decision.amountCny)}</Descriptions.Item>
            <Descriptions.Item label="测算金额">{formatMoney(v.decision.computedCny)}</Descriptions.Item>
            <Descriptions.Item label="可批准金额">{formatMoney(v.decision.approvableCny)}</Descriptions.Item>
            <Descriptions.Item label="适用上限">{v.decision.capApplied ? label('cap', v.decision.capApplied) : '—'}</Descriptions.Item>
            <Descriptions.Item label="政策版本">{v.decision.policyVersion}</Descriptions.Item>
            <Descriptions.Item label="批准人">{v.decision.approvedBy}</Descriptions.Item>
            <Descriptions.Item label="所见日志位置">{v.asSeen.globalPosition}</Descriptions.Item>
            <Descriptions.Item label="海关数据其后修订">{v.revisedSinceApproval ? <Tag color="orange">已修订</Tag> : '未修订'}</Descriptions.Item>
          </Descriptions>
          <details style={{ marginTop: 12 }}>
            <summary>当时的案件、台账、资金与海关数据</summary>
            <pre style={{ maxHeight: 400, overflow: 'auto' }}>{JSON.stringify(v.asSeen, null, 2)}</pre>
          </details>
        </Card>
      ))}
    </Space>
  );
}

function ExplanationTab({ id }: { id: string }) {
  const explanation = useExplanation(id, true);
  if (explanation.isPending) return <Spin />;
  if (explanation.error) return <Failure error={explanation.error} />;
  const awards = explanation.data.awards;
  if (awards.length === 0) return <Empty description={`尚无批准的奖励（${label('status', explanation.data.status)}）`} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {awards.map((a) => (
        <Card key={a.approvalEventId} size="small" title={`${formatMoney(a.amountCny)} · ${beijing(a.approvedAt)}`}>
          <ol aria-label="计算说明">
            {a.rendered.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </Card>
      ))}
    </Space>
  );
}

function ChainTab({ id }: { id: string }) {
  const chain = useCausalChain(id, true);
  if (chain.isPending) return <Spin />;
  if (chain.error) return <Failure error={chain.error} />;
  return (
    <Table
      size="small"
      rowKey="eventId"
      dataSource={chain.data.events}
      pagination={{ pageSize: 20, showSizeChanger: false }}
      columns={[
        { title: '全局位置', dataIndex: 'globalPosition' },
        { title: '事件流', dataIndex: 'streamId' },
        { title: '事件', dataIndex: 'type', render: (t: string) => labelOrCode('event', t) },
        { title: '操作人', dataIndex: 'actor', render: who },
        { title: '时间', dataIndex: 'occurredAt', render: (t: string) => beijing(t) },
        { title: '关联', dataIndex: 'link' },
      ]}
    />
  );
}

function ReadsTab({ id }: { id: string }) {
  const reads = useReads(id, true);
  if (reads.isPending) return <Spin />;
  if (reads.error) return <Failure error={reads.error} />;
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.at}:${r.user}:${r.path}`}
      dataSource={reads.data}
      pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (t) => `最近 ${t} 条（至多 ${READS_LIMIT} 条）` }}
      columns={[
        { title: '时间', dataIndex: 'at', render: (t: string) => beijing(t) },
        { title: '查阅人', key: 'who', render: (_v, r) => `${label('unit', r.unit)} · ${r.user}（${label('role', r.role)}）` },
        { title: '请求', key: 'req', render: (_v, r) => `${r.method} ${r.path}` },
        { title: '结果', dataIndex: 'status', render: (s: number) => (s < 400 ? <Tag color="green">{s}</Tag> : <Tag color="red">{s}</Tag>) },
      ]}
    />
  );
}
