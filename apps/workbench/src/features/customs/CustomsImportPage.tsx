import { Alert, Button, Card, Descriptions, Progress, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { beijing, errorText, problemText } from '../../lib/labels';
import { finished, STATE_TEXT, startImport, useImportStatus, type ImportStatus } from './customs-api';

/** 海关数据导入 (CUS): upload a file, follow its checking, then every bad row with its line, or what was stored. */
export function CustomsImportPage() {
  const [params, setParams] = useSearchParams();
  const id = params.get('import');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const status = useImportStatus(id);

  async function start(): Promise<void> {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const started = await startImport(file);
      // The import's id in the address: a reload keeps following it.
      setParams({ import: started.id });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            海关数据导入
          </Typography.Title>
        }
      >
        <Typography.Paragraph type="secondary">
          CSV（UTF-8 或 GB18030/GBK）或 Excel（.xlsx，第一张工作表）；表头可用中文或英文。任何一行有误则整批不导入，并列出每一个错误行。
        </Typography.Paragraph>
        <Space wrap>
          <label htmlFor="customs-file">海关数据文件</label>
          <input id="customs-file" type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Button type="primary" disabled={!file || (id !== null && !finished(status.data))} loading={busy} onClick={() => void start()}>
            开始导入
          </Button>
        </Space>
        {error && <Alert type="error" role="alert" title={error} style={{ marginTop: 12 }} />}
      </Card>
      {id && (
        <Card title="导入结果">
          {status.error && <Alert type="error" role="alert" title={errorText(status.error)} />}
          {status.data && <ImportResult status={status.data} />}
        </Card>
      )}
    </Space>
  );
}

export function ImportResult({ status }: { status: ImportStatus }) {
  const running = !finished(status);
  return (
    <section aria-label="导入结果">
      <Descriptions column={2} size="small" bordered>
        <Descriptions.Item label="状态">
          <Tag color={status.state === 'done' ? 'green' : running ? 'blue' : 'red'}>{STATE_TEXT[status.state]}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="开始时间">{beijing(status.startedAt)}</Descriptions.Item>
        <Descriptions.Item label="已校验行数">{status.rowsChecked}</Descriptions.Item>
        <Descriptions.Item label="已写入行数">{status.rowsStored}</Descriptions.Item>
        {status.answer && (
          <>
            <Descriptions.Item label="文件行数">{status.answer.rows}</Descriptions.Item>
            <Descriptions.Item label="新增">{status.answer.imported}</Descriptions.Item>
            <Descriptions.Item label="修订">{status.answer.revised}</Descriptions.Item>
            <Descriptions.Item label="未变化">{status.answer.unchanged}</Descriptions.Item>
            <Descriptions.Item label="涉及年度">{status.answer.streams.map((s) => s.year).join('、') || '—'}</Descriptions.Item>
          </>
        )}
      </Descriptions>
      {running && (
        <Progress percent={status.rowsChecked > 0 ? Math.round((100 * status.rowsStored) / status.rowsChecked) : 0} status="active" style={{ marginTop: 12 }} />
      )}
      {status.problem && (
        <>
          <Alert type="error" role="alert" showIcon title={problemText(status.problem)} style={{ margin: '12px 0' }} />
          {(status.problem.errors ?? []).length > 0 && (
            <Table
              size="small"
              rowKey={(r) => `${r.line}:${r.field}`}
              dataSource={status.problem.errors}
              pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (t) => `共 ${t} 处错误` }}
              columns={[
                { title: '行号', dataIndex: 'line' },
                { title: '字段', dataIndex: 'field' },
                { title: '原因', dataIndex: 'reason' },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
