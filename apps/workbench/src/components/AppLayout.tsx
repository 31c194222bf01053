import { Badge, Button, Layout, Menu, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { label } from '../lib/labels';

export interface MenuEntry {
  path: string;
  text: string;
  count?: number;
}

/** Units that work cases and so have an inbox: every department, not the applicant, the auditors or the administrators. */
export function hasInbox(person: { unit: string }): boolean {
  return !['APPLICANT', 'AUDIT', 'ADMIN'].includes(person.unit);
}

/**
 * The menu a unit and role sees (docs/workbench.md, "Screens"): an applicant files and follows its own cases,
 * a department works its inbox, an auditor audits. The server still decides: a screen shows a refusal it answers.
 */
export function menuFor(person: { unit: string; role: string }, inboxTotal?: number): MenuEntry[] {
  if (person.unit === 'APPLICANT') {
    return [
      { path: '/apply', text: '申报' },
      { path: '/my-applications', text: '我的申报' },
    ];
  }
  if (person.unit === 'AUDIT')
    return [
      { path: '/audit', text: '审计' },
      { path: '/publicity', text: '公示' },
      { path: '/proactive-awards', text: '免申即享' },
      { path: '/statistics', text: '统计' },
    ];
  if (person.unit === 'ADMIN') return [{ path: '/accounts', text: '账号管理' }];
  const entries: MenuEntry[] = [{ path: '/inbox', text: '我的待办', count: inboxTotal }];
  // The leading-group office, hosted by the commerce bureau (六政办秘〔2019〕4号 五（一）), supervises every unit's deadlines.
  if (person.unit === 'COM' || person.unit === 'LGO') entries.push({ path: '/supervision', text: '督办' });
  // The special fund (五（二）) is FIN's: its head appropriates, its officers pay from it.
  if (person.unit === 'FIN') entries.push({ path: '/funds', text: '专项资金' });
  if (person.unit === 'CUS') entries.push({ path: '/customs', text: '海关数据导入' });
  // 免申即享: COM opens the cases the customs statistics alone prove; FIN, who decides them, reads the list too.
  if (person.unit === 'COM' || person.unit === 'FIN') entries.push({ path: '/proactive-awards', text: '免申即享' });
  // 公示 (docs/after-decision.md): every department and AUDIT read the list; a county unit its own county's.
  entries.push({ path: '/publicity', text: '公示' });
  entries.push({ path: '/statistics', text: '统计' });
  return entries;
}

export function AppLayout(props: {
  person: { unit: string; role: string; displayName: string };
  inboxTotal?: number;
  onLogout: () => void;
  children?: ReactNode;
}) {
  const location = useLocation();
  const navigate = useNavigate();
  const entries = menuFor(props.person, props.inboxTotal);
  const selected = entries.find((e) => location.pathname.startsWith(e.path))?.path;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="light">
        <Typography.Title level={5} style={{ padding: '16px 16px 0' }}>
          跨境电商奖补工作台
        </Typography.Title>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            onClick={(e) => void navigate(e.key)}
            items={entries.map((e) => ({
              key: e.path,
              label: (
                <Link to={e.path}>
                  <Space>
                    {e.text}
                    {e.count !== undefined && <Badge count={e.count} overflowCount={9999} showZero={false} />}
                  </Space>
                </Link>
              ),
            }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 16 }}>
          <Typography.Text>
            {label('unit', props.person.unit)} · {label('role', props.person.role)} · {props.person.displayName}
          </Typography.Text>
          <Button onClick={props.onLogout}>退出登录</Button>
        </Layout.Header>
        <Layout.Content style={{ margin: 16 }}>{props.children ?? <Outlet />}</Layout.Content>
      </Layout>
    </Layout>
  );
}
