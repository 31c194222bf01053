import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Typography } from 'antd';
import { afterMyWrites, api, unwrap } from '../../lib/api/client';
import { errorText, formatMoney, label } from '../../lib/labels';

/**
 * The enterprise's remaining quota per article of 四、支持政策 for the year applied for (GET
 * /beneficiaries/{uscc}/totals): what its awards of the year already count against each article's cap, and
 * what remains. An article without a yearly cap shows 不设年度上限.
 */
export function QuotaPanel({ uscc, year }: { uscc: string; year: number | undefined }) {
  const valid = year !== undefined && Number.isInteger(year) && year >= 2000 && year <= 2100;
  const totals = useQuery({
    queryKey: ['quota', uscc, year],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/beneficiaries/{uscc}/totals', { params: { path: { uscc }, query: { year: year!, ...afterMyWrites() } } })),
    enabled: valid,
  });
  if (!valid) return null;
  return (
    <section aria-label="剩余额度" style={{ marginBottom: 16 }}>
      <Typography.Title level={5}>{year} 年度剩余额度</Typography.Title>
      {totals.error ? (
        <Alert type="error" role="alert" title={errorText(totals.error)} />
      ) : (
        <Table
          size="small"
          rowKey="article"
          loading={totals.isFetching}
          pagination={false}
          dataSource={totals.data?.articles ?? []}
          columns={[
            { title: '条款', dataIndex: 'article' },
            { title: '项目', dataIndex: 'programs', render: (ps: string[]) => ps.map((p) => label('program', p)).join('、') },
            { title: '已计入', dataIndex: 'countedCny', align: 'right', render: (v: string) => formatMoney(v) },
            { title: '年度上限', dataIndex: 'annualCapCny', align: 'right', render: (v: string | null) => (v === null ? '不设年度上限' : formatMoney(v)) },
            { title: '剩余额度', dataIndex: 'remainingCny', align: 'right', render: (v: string | null) => (v === null ? '—' : formatMoney(v)) },
          ]}
        />
      )}
    </section>
  );
}
