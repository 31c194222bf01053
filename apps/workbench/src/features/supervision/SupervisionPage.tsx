import { Alert, Card, Form, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { beijing, errorText, label } from '../../lib/labels';
import { withoutEmpty } from '../../lib/filters';
import { PROGRAMS } from '../../lib/programs';
import { useReviewBoard, type ReviewBoardQuery } from './review-board-api';

const PAGE_SIZE = 20;
const REVIEWING_UNITS = ['COM', 'CUS', 'PBC', 'FIN'];

type Filters = Pick<ReviewBoardQuery, 'unit' | 'program' | 'year'>;

/** 督办 (the leading-group office): the overdue reviews of every unit, then the deadline board of every pending review. */
export function SupervisionPage() {
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <ReviewBoard title="逾期会签" overdueOnly />
      <ReviewBoard title="截止日期看板" overdueOnly={false} />
    </Space>
  );
}

function ReviewBoard({ title, overdueOnly }: { title: string; overdueOnly: boolean }) {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const board = useReviewBoard({ ...filters, ...(overdueOnly ? { overdue: true } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      }
    >
      <section aria-label={title}>
        <Form layout="inline" style={{ marginBottom: 16 }} onValuesChange={(_c, all: Filters) => (setFilters(withoutEmpty(all)), setPage(1))}>
          <Form.Item label="会签单位" name="unit">
            <Select allowClear style={{ width: 240 }} options={REVIEWING_UNITS.map((u) => ({ value: u, label: label('unit', u) }))} />
          </Form.Item>
          <Form.Item label="项目" name="program">
            <Select allowClear style={{ width: 260 }} options={PROGRAMS.map((p) => ({ value: p, label: `${p} ${label('program', p)}` }))} />
          </Form.Item>
          <Form.Item label="年度" name="year">
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </Form>
        {board.error && <Alert type="error" role="alert" title={errorText(board.error)} />}
        <Table
          rowKey={(r) => `${r.applicationId}:${r.reviewUnit ?? ''}:${r.round}`}
          loading={board.isFetching}
          dataSource={board.data?.items ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: board.data?.total ?? 0,
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
            { title: '会签单位', dataIndex: 'reviewUnit', render: (u: string | null) => label('unit', u) },
            { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
            { title: '年度', dataIndex: 'year' },
            { title: '申报主体', dataIndex: 'beneficiaryName', render: (n: string | null, r) => n ?? r.uscc },
            { title: '会签开始', dataIndex: 'since', render: (s: string) => beijing(s) },
            { title: '操作', key: 'open', render: (_v, r) => <Link to={`/cases/${r.applicationId}`}>查看</Link> },
          ]}
        />
      </section>
    </Card>
  );
}
