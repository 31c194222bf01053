import { Alert, Button, Card, Col, Form, InputNumber, Row, Select, Spin, Table, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { withoutEmpty } from '../../lib/filters';
import { errorText, formatMoney, label } from '../../lib/labels';
import { PROGRAMS } from '../../lib/programs';
import { csvHref, totalsBy, useAwardStatistics, type StatisticsFilter } from './statistics-api';

// The chart library is its own chunk, loaded when a chart is drawn.
const BarChart = lazy(() => import('../../components/charts/BarChart'));

/** 统计: approved awards by program, county and year, with a chart by county and one by program, and the CSV. */
export function StatisticsPage() {
  const [filter, setFilter] = useState<StatisticsFilter>({});
  const stats = useAwardStatistics(filter);
  const rows = stats.data ?? [];
  const byCounty = totalsBy(rows, (r) => r.county);
  const byProgram = totalsBy(rows, (r) => label('program', r.program));
  const series = (totals: typeof byCounty) => [
    { name: '批准金额', values: totals.map((t) => t.approved) },
    { name: '已拨付', values: totals.map((t) => t.disbursed) },
  ];
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          统计
        </Typography.Title>
      }
      extra={
        <a href={csvHref(filter)} download>
          <Button>下载 CSV</Button>
        </a>
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }} onValuesChange={(_c, all: StatisticsFilter) => setFilter(withoutEmpty(all))}>
        <Form.Item label="项目" name="program">
          <Select allowClear style={{ width: 260 }} options={PROGRAMS.map((p) => ({ value: p, label: `${p} ${label('program', p)}` }))} />
        </Form.Item>
        <Form.Item label="年度" name="year">
          <InputNumber min={2000} max={2100} />
        </Form.Item>
      </Form>
      {stats.error && <Alert type="error" role="alert" title={errorText(stats.error)} style={{ marginBottom: 12 }} />}
      {rows.length > 0 && (
        <Suspense fallback={<Spin />}>
          <Row gutter={16}>
            <Col span={12}>
              <Typography.Title level={5}>按县区</Typography.Title>
              <BarChart label="按县区统计图" categories={byCounty.map((t) => t.key)} series={series(byCounty)} />
            </Col>
            <Col span={12}>
              <Typography.Title level={5}>按项目</Typography.Title>
              <BarChart label="按项目统计图" categories={byProgram.map((t) => t.key)} series={series(byProgram)} />
            </Col>
          </Row>
        </Suspense>
      )}
      <Table
        rowKey={(r) => `${r.year}:${r.program}:${r.division}`}
        size="small"
        loading={stats.isFetching}
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        columns={[
          { title: '年度', dataIndex: 'year' },
          { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
          { title: '县区', dataIndex: 'county' },
          { title: '件数', dataIndex: 'awards', align: 'right' },
          { title: '批准金额', dataIndex: 'approvedCny', align: 'right', render: (v: string) => formatMoney(v) },
          { title: '已拨付', dataIndex: 'disbursedCny', align: 'right', render: (v: string) => formatMoney(v) },
        ]}
      />
    </Card>
  );
}
