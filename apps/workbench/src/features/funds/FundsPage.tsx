import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Space, Spin, Table, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { MONEY } from '../apply/claims';
import { errorText, formatMoney } from '../../lib/labels';
import { useSessionPerson } from '../auth/person';
import { appropriate, MAX_YEARS, useFundYears, yearsBetween, type FundStatus } from './funds-api';

// The chart library is its own chunk, loaded when the chart is drawn.
const BarChart = lazy(() => import('../../components/charts/BarChart'));

const SERIES: [keyof FundStatus, string][] = [
  ['appropriationCny', '拨款'],
  ['committedCny', '已承诺'],
  ['disbursedCny', '已拨付'],
  ['availableCny', '可用'],
];

const money = (v: string) => formatMoney(v);

/** 专项资金 (五（二）): each year's appropriation, committed, disbursed and available, a chart, and (FIN head) the appropriation form. */
export function FundsPage() {
  const person = useSessionPerson();
  const thisYear = new Date().getFullYear();
  const [range, setRange] = useState({ from: thisYear - 4, to: thisYear });
  const years = yearsBetween(range.from, range.to);
  const results = useFundYears(years);
  const funds = results.map((r) => r.data).filter((f): f is FundStatus => f !== undefined);
  const failed = results.find((r) => r.error)?.error;
  const mayAppropriate = person.unit === 'FIN' && person.role === 'head';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            专项资金
          </Typography.Title>
        }
      >
        <Form
          layout="inline"
          style={{ marginBottom: 16 }}
          initialValues={range}
          onValuesChange={(_c, all: { from?: number; to?: number }) => all.from && all.to && setRange({ from: all.from, to: all.to })}
        >
          <Form.Item label="起始年度" name="from">
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item label="终止年度" name="to" extra={`至多显示 ${MAX_YEARS} 个年度`}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
        </Form>
        {failed && <Alert type="error" role="alert" title={errorText(failed)} style={{ marginBottom: 12 }} />}
        <Table
          rowKey="year"
          size="small"
          pagination={false}
          loading={results.some((r) => r.isFetching)}
          dataSource={funds}
          columns={[
            { title: '年度', dataIndex: 'year' },
            { title: '拨款', dataIndex: 'appropriationCny', render: money, align: 'right' },
            { title: '已承诺', dataIndex: 'committedCny', render: money, align: 'right' },
            { title: '已拨付', dataIndex: 'disbursedCny', render: money, align: 'right' },
            { title: '可用', dataIndex: 'availableCny', render: money, align: 'right' },
            { title: '待拨付', dataIndex: 'outstandingCny', render: money, align: 'right' },
          ]}
        />
        {funds.length > 0 && (
          <Suspense fallback={<Spin />}>
            <BarChart
              label="专项资金图表"
              categories={funds.map((f) => `${f.year}年`)}
              series={SERIES.map(([key, name]) => ({ name, values: funds.map((f) => Number(f[key])) }))}
            />
          </Suspense>
        )}
      </Card>
      {mayAppropriate && <AppropriationForm defaultYear={thisYear} />}
    </Space>
  );
}

function AppropriationForm({ defaultYear }: { defaultYear: number }) {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ year: number; amountCny: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFinish(values: { year: number; amountCny: string }): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await appropriate(values.year, values.amountCny);
      await client.invalidateQueries({ queryKey: ['fund'] });
      form.resetFields(['amountCny']);
      void message.success(`已追加 ${values.year} 年度拨款 ${formatMoney(values.amountCny)}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="追加拨款">
      {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="inline" initialValues={{ year: defaultYear }} onFinish={(v) => void onFinish(v)}>
        <Form.Item label="拨款年度" name="year" rules={[{ required: true, message: '请填写年度' }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item
          label="拨款金额（元）"
          name="amountCny"
          rules={[
            { required: true, message: '请填写金额' },
            { pattern: MONEY, message: '金额以元为单位，最多两位小数' },
          ]}
        >
          <Input inputMode="decimal" style={{ width: 200 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          追加拨款
        </Button>
      </Form>
    </Card>
  );
}
