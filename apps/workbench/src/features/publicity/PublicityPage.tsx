import { Alert, Button, Card, DatePicker, Form, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorText, formatMoney } from '../../lib/labels';
import { beijingDay, exportHref, usePublicityList } from './publicity-api';

const PAGE_SIZE = 20;

/**
 * 公示: the approved awards published on a chosen day (docs/after-decision.md), each with its enterprise,
 * program, amount, clause and period, and the same list as CSV or xlsx for publication.
 */
export function PublicityPage() {
  const [date, setDate] = useState(() => beijingDay(new Date()));
  const list = usePublicityList(date);
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          公示
        </Typography.Title>
      }
      extra={
        <Space>
          <a href={exportHref(date, 'csv')} download>
            <Button>导出 CSV</Button>
          </a>
          <a href={exportHref(date, 'xlsx')} download>
            <Button>导出 Excel</Button>
          </a>
        </Space>
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label="公示日期" htmlFor="publicity-date">
          <DatePicker
            id="publicity-date"
            allowClear={false}
            needConfirm={false}
            format="YYYY-MM-DD"
            value={dayjs(date)}
            onChange={(d: Dayjs | null) => d && setDate(d.format('YYYY-MM-DD'))}
          />
        </Form.Item>
      </Form>
      {list.error && <Alert type="error" role="alert" title={errorText(list.error)} style={{ marginBottom: 12 }} />}
      <Table
        aria-label="公示名单"
        rowKey="applicationId"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.awards ?? []}
        pagination={{ pageSize: PAGE_SIZE, showSizeChanger: false, showTotal: (t) => `共 ${t} 项`, hideOnSinglePage: true }}
        locale={{ emptyText: `${date} 无公示中的奖励` }}
        columns={[
          { title: '企业名称', dataIndex: 'enterprise', render: (n: string | null | undefined, r) => n ?? r.uscc },
          { title: '统一社会信用代码', dataIndex: 'uscc' },
          { title: '项目', dataIndex: 'programName' },
          { title: '条款', dataIndex: 'clause' },
          { title: '年度', dataIndex: 'year' },
          { title: '金额', dataIndex: 'amountCny', align: 'right', render: (a: string) => formatMoney(a) },
          { title: '公示期', key: 'period', render: (_v, r) => `${r.from} 至 ${r.until}` },
          { title: '操作', key: 'open', render: (_v, r) => <Link to={`/cases/${r.applicationId}`}>案件详情</Link> },
        ]}
      />
    </Card>
  );
}
