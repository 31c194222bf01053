import { Alert, Descriptions, Table } from 'antd';
import { label } from '../../lib/labels';
import type { VerifyReport } from './audit-api';

/** What `audit verify` found: the chains, the signed digests and the tree; every break listed, none hidden. */
export function VerifyReportView({ report }: { report: VerifyReport }) {
  return (
    <>
      <Alert
        type={report.ok ? 'success' : 'error'}
        showIcon
        role="status"
        title={report.ok ? '校验通过：全部哈希链与签名摘要完整' : `发现 ${report.breaks.length + report.breaksOmitted} 处问题`}
        style={{ marginBottom: 12 }}
      />
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="已校验事件">{report.eventsChecked}</Descriptions.Item>
        <Descriptions.Item label="已校验事件流">{report.streamsChecked}</Descriptions.Item>
        <Descriptions.Item label="日志末位">{report.headPosition}</Descriptions.Item>
        <Descriptions.Item label="已校验签名摘要">{report.digests.checked}</Descriptions.Item>
        <Descriptions.Item label="末次摘要之后的事件">{report.digests.eventsAfterLastDigest}</Descriptions.Item>
        {report.tree?.rootHash && <Descriptions.Item label="默克尔树根">{report.tree.rootHash}</Descriptions.Item>}
      </Descriptions>
      {report.breaks.length > 0 && (
        <section aria-label="问题清单">
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey={(b) => `${b.kind}:${b.streamId ?? ''}:${b.version ?? ''}:${b.globalPosition ?? ''}`}
            dataSource={report.breaks}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            columns={[
              { title: '问题', dataIndex: 'kind', render: (k: string) => labelOrCode('error', k) },
              { title: '事件流', dataIndex: 'streamId', render: (s?: string) => s ?? '—' },
              { title: '版本', dataIndex: 'version', render: (v?: number) => v ?? '—' },
              { title: '说明', dataIndex: 'detail' },
            ]}
          />
        </section>
      )}
    </>
  );
}

/** A code the catalogue does not name is shown as it is, never as 〔未译〕. */
export function labelOrCode(kind: 'error' | 'event', code: string): string {
  const text = label(kind, code);
  return text.startsWith('〔未译〕') ? code : text;
}
