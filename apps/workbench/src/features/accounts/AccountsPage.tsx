import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { beijing, errorText, label } from '../../lib/labels';
import { useSessionPerson } from '../auth/person';
import { changeAccount, useAccounts, type Account, type AccountChange, type Role } from './accounts-api';

const PAGE_SIZE = 20;
export const UNITS = ['FIN', 'COM', 'CUS', 'PBC', 'LGO', 'AUDIT', 'ADMIN', 'APPLICANT'];
export const ROLES: Role[] = ['officer', 'head', 'auditor', 'applicant', 'admin'];

type Dialog = { kind: 'create' } | { kind: 'reset' | 'grant'; account: Account } | null;

/** 账号管理 (ADMIN): the accounts a page at a time; create, change unit and role, disable or enable, reset a password. */
export function AccountsPage() {
  const person = useSessionPerson();
  const mayChange = person.unit === 'ADMIN';
  const client = useQueryClient();
  const { message } = App.useApp();
  const [unit, setUnit] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const accounts = useAccounts({ ...(unit ? { unit } : {}), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });

  async function run(change: AccountChange, done: string): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await changeAccount(change);
      await client.invalidateQueries({ queryKey: ['accounts'] });
      void message.success(done);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          账号管理
        </Typography.Title>
      }
      extra={
        mayChange && (
          <Button type="primary" onClick={() => (setError(null), setDialog({ kind: 'create' }))}>
            新建账号
          </Button>
        )
      }
    >
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label="单位">
          <Select
            allowClear
            style={{ width: 260 }}
            value={unit}
            onChange={(v: string | undefined) => (setUnit(v), setPage(1))}
            options={UNITS.map((u) => ({ value: u, label: label('unit', u) }))}
          />
        </Form.Item>
      </Form>
      {error && dialog === null && <Alert type="error" role="alert" title={error} style={{ marginBottom: 12 }} />}
      {accounts.error && <Alert type="error" role="alert" title={errorText(accounts.error)} />}
      <Table
        rowKey="username"
        loading={accounts.isFetching}
        dataSource={accounts.data?.accounts ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: accounts.data?.total ?? 0,
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (t) => `共 ${t} 个账号`,
        }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '单位', dataIndex: 'unit', render: (u: string) => label('unit', u) },
          { title: '角色', dataIndex: 'role', render: (r: string) => label('role', r) },
          { title: '统一社会信用代码', dataIndex: 'uscc', render: (u: string | null) => u ?? '—' },
          {
            title: '状态',
            key: 'state',
            render: (_v, a) =>
              !a.enabled ? (
                <Tag color="red">已停用</Tag>
              ) : a.lockedUntil && a.lockedUntil > new Date().toISOString() ? (
                <Tag color="orange">锁定至 {beijing(a.lockedUntil)}</Tag>
              ) : (
                <Tag color="green">正常</Tag>
              ),
          },
          ...(mayChange
            ? [
                {
                  title: '操作',
                  key: 'act',
                  render: (_v: unknown, a: Account) => (
                    <Space>
                      <Button size="small" onClick={() => (setError(null), setDialog({ kind: 'grant', account: a }))}>
                        变更角色
                      </Button>
                      <Button size="small" onClick={() => (setError(null), setDialog({ kind: 'reset', account: a }))}>
                        重置密码
                      </Button>
                      {a.enabled ? (
                        <Button size="small" danger onClick={() => void run({ kind: 'disable', username: a.username }, `已停用 ${a.username}`)}>
                          停用
                        </Button>
                      ) : (
                        <Button size="small" onClick={() => void run({ kind: 'enable', username: a.username }, `已启用 ${a.username}`)}>
                          启用
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {dialog && (
        <AccountDialog
          dialog={dialog}
          busy={busy}
          error={error}
          onCancel={() => (setDialog(null), setError(null))}
          onSubmit={async (change, done) => {
            if (await run(change, done)) setDialog(null);
          }}
        />
      )}
    </Card>
  );
}

interface DialogValues {
  username?: string;
  displayName?: string;
  unit?: string;
  role?: Role;
  uscc?: string;
  password?: string;
}

function AccountDialog(props: {
  dialog: NonNullable<Dialog>;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onSubmit: (change: AccountChange, done: string) => Promise<void>;
}) {
  const { dialog } = props;
  const [form] = Form.useForm<DialogValues>();
  const title =
    dialog.kind === 'create' ? '新建账号' : dialog.kind === 'reset' ? `重置密码：${dialog.account.username}` : `变更角色：${dialog.account.username}`;
  const initial = dialog.kind === 'grant' ? { unit: dialog.account.unit, role: dialog.account.role, uscc: dialog.account.uscc ?? undefined } : {};

  function submit(v: DialogValues): Promise<void> {
    if (dialog.kind === 'create')
      return props.onSubmit(
        {
          kind: 'create',
          account: {
            username: v.username!,
            displayName: v.displayName || undefined,
            unit: v.unit!,
            role: v.role!,
            uscc: v.uscc || undefined,
            password: v.password!,
          },
        },
        `已新建 ${v.username}`,
      );
    if (dialog.kind === 'reset')
      return props.onSubmit({ kind: 'reset', username: dialog.account.username, password: v.password! }, `已重置 ${dialog.account.username} 的密码`);
    return props.onSubmit(
      { kind: 'grant', username: dialog.account.username, unit: v.unit!, role: v.role!, uscc: v.uscc || undefined },
      `已变更 ${dialog.account.username} 的角色`,
    );
  }

  return (
    <Modal open title={title} okText="确定" cancelText="取消" confirmLoading={props.busy} onCancel={props.onCancel} onOk={() => form.submit()}>
      {props.error && <Alert type="error" role="alert" title={props.error} style={{ marginBottom: 12 }} />}
      {/* Enter in any field sends the form (the hidden submit button makes it a form a keyboard can send). */}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => void submit(v)}>
        <button type="submit" hidden />
        {dialog.kind === 'create' && (
          <>
            <Form.Item
              label="用户名"
              name="username"
              rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{2,64}$/, message: '2–64 个字母、数字、点、下划线或连字符' }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item label="姓名" name="displayName">
              <Input />
            </Form.Item>
          </>
        )}
        {dialog.kind !== 'reset' && (
          <>
            <Form.Item label="单位" name="unit" rules={[{ required: true, message: '请选择单位' }]}>
              <Select options={UNITS.map((u) => ({ value: u, label: label('unit', u) }))} />
            </Form.Item>
            <Form.Item label="角色" name="role" rules={[{ required: true, message: '请选择角色' }]}>
              <Select options={ROLES.map((r) => ({ value: r, label: label('role', r) }))} />
            </Form.Item>
            <Form.Item label="统一社会信用代码（申报主体）" name="uscc">
              <Input maxLength={18} />
            </Form.Item>
          </>
        )}
        {dialog.kind !== 'grant' && (
          <Form.Item
            label={dialog.kind === 'create' ? '初始密码' : '新密码'}
            name="password"
            extra="至少 8 位，含小写字母、大写字母、数字、其他字符中的三类"
            rules={[{ required: true, message: '请填写密码' }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
