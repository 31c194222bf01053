import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../lib/api/client';
import { problemText } from '../../lib/labels';
import { login, SESSION_KEY } from './session';

/** The one message for a wrong password, an unknown user, a disabled or a locked account (the server says no more). */
export const LOGIN_REFUSED_TEXT = '用户名或密码错误，或该账号暂时不能登录';

export function LoginPage() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onFinish(values: { username: string; password: string }): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const session = await login(values.username, values.password);
      client.setQueryData(SESSION_KEY, session);
      await navigate('/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? LOGIN_REFUSED_TEXT : e instanceof ApiError ? problemText(e.problem) : '无法连接服务器');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f5f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3}>六安市跨境电商奖补工作台</Typography.Title>
        {error && <Alert type="error" role="alert" title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
