import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorText, formatMoney, label, renderTrace } from '../../lib/labels';
import { useSessionPerson } from '../auth/person';
import { DECLARATION_NAMES } from './declarations';
import { openProactive, PROACTIVE_PROGRAMS, useProactiveCandidates, type OpenAnswer, type ProactiveCandidate } from './proactive-api';

const PAGE_SIZE = 20;
const keyOf = (c: { uscc: string; program: string }) => `${c.uscc} ${c.program}`;

/**
 * 免申即享: the enterprises whose customs statistics alone prove an award and that have no case for it, each with
 * its computation; COM chooses and opens their cases (marked 免申) in one action. Nothing is approved here: each case
 * awaits the enterprise's declarations, then goes through 受理, 会签 and 审批 as any other.
 */
export function ProactivePage() {
  const person = useSessionPerson();
  const client = useQueryClient();
  const [filter, setFilter] = useState<{ year: number; program?: (typeof PROACTIVE_PROGRAMS)[number] }>({ year: new Date().getFullYear() - 1 });
  const [page, setPage] = useState(1);
  const [chosen, setChosen] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<OpenAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const list = useProactiveCandidates({ ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const rows = list.data?.candidates ?? [];
  const mayOpen = person.unit === 'COM' && (person.role === 'officer' || person.role === 'head');

  async function open(): Promise<void> {
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      const candidates = chosen.map((k) => {
        const [uscc, program] = k.split(' ');
        return { uscc, program };
      });
      setAnswer(await openProactive(filter.year, candidates));
      setChosen([]);
      void client.invalidateQueries({ queryKey: ['proactive-awards'] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          免申即享
        </Typography.Title>
      }
      extra={
        mayOpen && (
          <Button type="primary" disabled={chosen.length === 0} loading={busy} onClick={() => void open()}>
            为所选企业立案（{chosen.length}）
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        海关统计数据即可证明符合条件、且本年度该项目尚无案件的企业。立案后由企业确认声明事项，再经受理、会签、审批，不自动批准。
      </Typography.Paragraph>
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        initialValues={filter}
        onValuesChange={(_c, all: { year?: number; program?: (typeof PROACTIVE_PROGRAMS)[number] }) => {
          // A year being typed ("2", "20") is not asked for: the server takes 2000–2100 only.
          if (!all.year || all.year < 2000 || all.year > 2100) return;
          setFilter({ year: all.year, ...(all.program ? { program: all.program } : {}) });
          setPage(1);
          setChosen([]);
        }}
      >
        <Form.Item label="年度" name="year">
          <InputNumber min={2019} max={2100} />
        </Form.Item>
        <Form.Item label="项目" name="program">
          <Select allowClear style={{ width: 320 }} options={PROACTIVE_PROGRAMS.map((p) => ({ value: p, label: `${p} ${label('program', p)}` }))} />
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" role="alert" title={errorText(list.error)} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 12 }} />}
      {answer && <OpenResult answer={answer} />}
      <Table
        aria-label="免申即享名单"
        rowKey={keyOf}
        size="small"
        loading={list.isFetching}
        dataSource={rows}
        rowSelection={
          mayOpen
            ? { selectedRowKeys: chosen, onChange: (keys) => setChosen(keys.map(String)), getTitleCheckboxProps: () => ({ 'aria-label': '全选' }) }
            : undefined
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 家`,
        }}
        expandable={{ expandedRowRender: (c) => <Computation c={c} /> }}
        locale={{ emptyText: `${filter.year} 年度无符合条件的企业` }}
        columns={[
          { title: '企业名称', dataIndex: 'name', render: (n: string | null, c) => n ?? c.uscc },
          { title: '统一社会信用代码', dataIndex: 'uscc' },
          { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
          { title: '测算金额', dataIndex: 'computedCny', align: 'right', render: (a: string) => formatMoney(a) },
          {
            title: '可奖励金额',
            dataIndex: 'amountCny',
            align: 'right',
            render: (a: string | null) => (a === null ? <Tag>待企业提供平台费用</Tag> : formatMoney(a)),
          },
          {
            title: '待企业声明',
            dataIndex: 'declarationsPending',
            render: (d: string[]) => (d.length ? d.map((k) => DECLARATION_NAMES[k] ?? k).join('；') : '无'),
          },
        ]}
      />
    </Card>
  );
}

function Computation({ c }: { c: ProactiveCandidate }) {
  return (
    <ol aria-label="计算过程" style={{ margin: 0 }}>
      {renderTrace(c.trace).map((t, i) => (
        <li key={i}>
          {t.step}：{t.value}
          {t.clause ? `（${t.clause}）` : ''}
        </li>
      ))}
    </ol>
  );
}

function OpenResult({ answer }: { answer: OpenAnswer }) {
  return (
    <Alert
      type={answer.refused.length ? 'warning' : 'success'}
      showIcon
      style={{ marginBottom: 12 }}
      title={`已立案 ${answer.opened.length} 件${answer.refused.length ? `，未立案 ${answer.refused.length} 件` : ''}`}
      description={
        <Space orientation="vertical">
          {answer.opened.map((o) => (
            <Link key={o.applicationId} to={`/cases/${o.applicationId}`}>
              {o.uscc} · {label('program', o.program)}
            </Link>
          ))}
          {answer.refused.map((r) => (
            <span key={keyOf(r)}>
              {r.uscc} · {label('program', r.program)}：{label('error', r.code).startsWith('〔未译〕') ? r.code : label('error', r.code)}（{r.detail}）
            </span>
          ))}
        </Space>
      }
    />
  );
}
