import { Alert, Card, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../lib/api/client';
import { beijing, label, problemText } from '../../lib/labels';
import { withoutEmpty } from '../../lib/filters';
import { PROGRAMS } from '../../lib/programs';
import { useInbox, type InboxQuery } from './inbox-api';
import { inboxTaskText } from './inbox-task';

const TASKS = ['accept', 'review', 'decide', 'disburse', 'resubmit', 'overdue-review', 'recover'];
const PAGE_SIZE = 20;

/** 我的待办: what awaits the unit, due date first, 已逾期 tagged; filtered and paged by the server. */
export function InboxPage() {
  const [filters, setFilters] = useState<Pick<InboxQuery, 'program' | 'year' | 'task'>>({});
  const [page, setPage] = useState(1);
  const query: InboxQuery = { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
  const inbox = useInbox(query);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          我的待办
        </Typography.Title>
      }
    >
      <Form
        layout="inline"
        style={{ marginBottom: 16 }}
        onValuesChange={(_c, all) => (setFilters(withoutEmpty(all as Pick<InboxQuery, 'program' | 'year' | 'task'>)), setPage(1))}
      >
        <Form.Item label="项目" name="program">
          <Select allowClear style={{ width: 260 }} options={PROGRAMS.map((p) => ({ value: p, label: `${p} ${label('program', p)}` }))} />
        </Form.Item>
        <Form.Item label="年度" name="year">
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item label="状态" name="task">
          <Select allowClear style={{ width: 200 }} options={TASKS.map((t) => ({ value: t, label: label('inbox-task', t) }))} />
        </Form.Item>
      </Form>
      {inbox.error && <Alert type="error" role="alert" title={inbox.error instanceof ApiError ? problemText(inbox.error.problem) : String(inbox.error)} />}
      <Table
        rowKey={(r) => `${r.applicationId}:${r.task}:${r.reviewUnit ?? ''}`}
        loading={inbox.isFetching}
        dataSource={inbox.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: inbox.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 项`,
        }}
        columns={[
          {
            title: '截止日期',
            dataIndex: 'dueDate',
            render: (_v, r) => (
              <Space>
                {r.dueDate ?? '—'}
                {r.overdue && <Tag color="red">已逾期</Tag>}
              </Space>
            ),
          },
          {
            title: '待办',
            dataIndex: 'task',
            render: (_t: string, r) => inboxTaskText(r),
          },
          { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
          { title: '年度', dataIndex: 'year' },
          { title: '申报主体', dataIndex: 'beneficiaryName', render: (n: string | null, r) => n ?? r.uscc },
          { title: '到达时间', dataIndex: 'since', render: (s: string) => beijing(s) },
          { title: '操作', key: 'open', render: (_v, r) => <Link to={`/cases/${r.applicationId}`}>办理</Link> },
        ]}
      />
    </Card>
  );
}
