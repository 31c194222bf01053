import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../lib/api/client';
import { beijing, errorText, label } from '../../lib/labels';
import { useVerify } from './audit-api';
import { VerifyReportView } from './VerifyReportView';

const PAGE_SIZE = 20;

/** 审计: 完整性校验 of the whole log, and every case (paged by the server) to open its audit view. */
export function AuditPage() {
  const verify = useVerify();
  const [page, setPage] = useState(1);
  const cases = useQuery({
    queryKey: ['audit-cases', page],
    queryFn: async () => unwrap(await api.GET('/api/v1/applications', { params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            完整性校验
          </Typography.Title>
        }
        extra={
          <Button type="primary" loading={verify.isPending} onClick={() => verify.mutate()}>
            开始校验
          </Button>
        }
      >
        <Typography.Paragraph type="secondary">逐一核对每个事件流的哈希链、版本连续性、全局位置与服务器签名的摘要和默克尔树头。</Typography.Paragraph>
        {verify.error && <Alert type="error" role="alert" title={errorText(verify.error)} />}
        {verify.data && <VerifyReportView report={verify.data} />}
      </Card>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            案件审计
          </Typography.Title>
        }
      >
        {cases.error && <Alert type="error" role="alert" title={errorText(cases.error)} />}
        <Table
          rowKey="applicationId"
          loading={cases.isFetching}
          dataSource={cases.data?.items ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: cases.data?.total ?? 0,
            onChange: setPage,
            showSizeChanger: false,
            showTotal: (t) => `共 ${t} 件`,
          }}
          columns={[
            { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
            { title: '年度', dataIndex: 'year' },
            { title: '申报主体', dataIndex: 'beneficiaryName', render: (n: string | null, r) => n ?? r.uscc },
            { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{label('status', s)}</Tag> },
            { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => beijing(t) },
            { title: '操作', key: 'open', render: (_v, r) => <Link to={`/audit/cases/${r.applicationId}`}>审计</Link> },
          ]}
        />
      </Card>
    </Space>
  );
}
