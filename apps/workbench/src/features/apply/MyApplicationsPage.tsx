import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { afterMyWrites, api, ApiError, unwrap } from '../../lib/api/client';
import { beijing, label, problemText } from '../../lib/labels';
import { useSessionPerson } from '../auth/person';

const PAGE_SIZE = 20;

/** 我的申报: the enterprise's own cases with their status; a returned one is corrected and sent again (重新提交). */
export function MyApplicationsPage() {
  const person = useSessionPerson();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['my-applications', person.uscc, page],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/applications', {
          params: { query: { uscc: person.uscc ?? undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...afterMyWrites() } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          我的申报
        </Typography.Title>
      }
      extra={
        <Link to="/apply">
          <Button type="primary">申报</Button>
        </Link>
      }
    >
      {list.error && <Alert type="error" role="alert" title={list.error instanceof ApiError ? problemText(list.error.problem) : String(list.error)} />}
      <Table
        rowKey="applicationId"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: '项目', dataIndex: 'program', render: (p: string) => label('program', p) },
          { title: '年度', dataIndex: 'year' },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'returned' || s === 'rejected' ? 'red' : s === 'disbursed' ? 'green' : 'blue'}>{label('status', s)}</Tag>,
          },
          { title: '提交时间', dataIndex: 'submittedAt', render: (t: string) => beijing(t) },
          {
            title: '操作',
            key: 'act',
            render: (_v, r) => (
              <>
                <Link to={`/cases/${r.applicationId}`}>查看</Link>
                {r.status === 'returned' && (
                  <Link to={`/apply?resubmit=${r.applicationId}`} style={{ marginLeft: 12 }}>
                    重新提交
                  </Link>
                )}
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
