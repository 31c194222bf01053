import { Result, Spin } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider, useNavigate } from 'react-router';
import { AppLayout, hasInbox, menuFor } from '../components/AppLayout';
import { LoginPage } from '../features/auth/LoginPage';
import { PersonContext } from '../features/auth/person';
import { useLogout, useSession } from '../features/auth/session';
import { useInbox } from '../features/inbox/inbox-api';
import { ApiError } from '../lib/api/client';
import { problemText } from '../lib/labels';
import { makeQueryClient, Providers } from './providers';

// Each screen is its own chunk: the login page loads only what it needs.
const InboxPage = lazy(() => import('../features/inbox/InboxPage').then((m) => ({ default: m.InboxPage })));
const CaseDetailPage = lazy(() => import('../features/case/CaseDetailPage').then((m) => ({ default: m.CaseDetailPage })));
const ApplyPage = lazy(() => import('../features/apply/ApplyPage').then((m) => ({ default: m.ApplyPage })));
const AuditPage = lazy(() => import('../features/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const AuditCasePage = lazy(() => import('../features/audit/AuditCasePage').then((m) => ({ default: m.AuditCasePage })));
const SupervisionPage = lazy(() => import('../features/supervision/SupervisionPage').then((m) => ({ default: m.SupervisionPage })));
const FundsPage = lazy(() => import('../features/funds/FundsPage').then((m) => ({ default: m.FundsPage })));
const CustomsImportPage = lazy(() => import('../features/customs/CustomsImportPage').then((m) => ({ default: m.CustomsImportPage })));
const AccountsPage = lazy(() => import('../features/accounts/AccountsPage').then((m) => ({ default: m.AccountsPage })));
const StatisticsPage = lazy(() => import('../features/statistics/StatisticsPage').then((m) => ({ default: m.StatisticsPage })));
const PublicityPage = lazy(() => import('../features/publicity/PublicityPage').then((m) => ({ default: m.PublicityPage })));
const ProactivePage = lazy(() => import('../features/proactive/ProactivePage').then((m) => ({ default: m.ProactivePage })));
const MyApplicationsPage = lazy(() => import('../features/apply/MyApplicationsPage').then((m) => ({ default: m.MyApplicationsPage })));

function LoggedIn() {
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const inbox = useInbox({ limit: 1 }, session.data ? hasInbox(session.data) : false);
  if (session.isPending) return <Spin fullscreen />;
  if (session.error) return <Result status="error" title={session.error instanceof ApiError ? problemText(session.error.problem) : '无法连接服务器'} />;
  if (!session.data) return <Navigate to="/login" replace />;
  return (
    <PersonContext.Provider value={session.data}>
      <AppLayout person={session.data} inboxTotal={inbox.data?.total} onLogout={() => void logout().then(() => navigate('/login', { replace: true }))}>
        <Suspense fallback={<Spin />}>
          <Outlet />
        </Suspense>
      </AppLayout>
    </PersonContext.Provider>
  );
}

function Home() {
  const session = useSession();
  const home = session.data?.unit === 'APPLICANT' ? '/my-applications' : session.data ? menuFor(session.data)[0]?.path : undefined;
  return home ? <Navigate to={home} replace /> : <Result status="info" title="欢迎使用跨境电商奖补工作台" />;
}

function makeRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    {
      element: <LoggedIn />,
      children: [
        { index: true, element: <Home /> },
        { path: 'inbox', element: <InboxPage /> },
        { path: 'cases/:id', element: <CaseDetailPage /> },
        { path: 'apply', element: <ApplyPage /> },
        { path: 'my-applications', element: <MyApplicationsPage /> },
        { path: 'supervision', element: <SupervisionPage /> },
        { path: 'funds', element: <FundsPage /> },
        { path: 'customs', element: <CustomsImportPage /> },
        { path: 'accounts', element: <AccountsPage /> },
        { path: 'statistics', element: <StatisticsPage /> },
        { path: 'publicity', element: <PublicityPage /> },
        { path: 'proactive-awards', element: <ProactivePage /> },
        { path: 'audit', element: <AuditPage /> },
        { path: 'audit/cases/:id', element: <AuditCasePage /> },
        { path: '*', element: <Result status="404" title="页面不存在" /> },
      ],
    },
  ]);
}

export function App() {
  const [client] = useState(makeQueryClient);
  const [router] = useState(makeRouter);
  return (
    <Providers client={client}>
      <RouterProvider router={router} />
    </Providers>
  );
}
