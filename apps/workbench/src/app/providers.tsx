import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { ReactNode } from 'react';
import { ApiError } from '../lib/api/client';

dayjs.locale('zh-cn');

export function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A session that ended (idle time, logout elsewhere, account changed): back to the login page.
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== 'session') client.setQueryData(['session'], null);
      },
    }),
    defaultOptions: {
      // A refusal (4xx) is an answer: shown at once, not retried.
      queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2, refetchOnWindowFocus: false },
    },
  });
  return client;
}

/**
 * antd in Chinese. Buttons keep their names as written: antd would show a two-character name as "受 理",
 * and people (and the tests, which find buttons by name) read 受理.
 */
export function UiConfig({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function Providers({ children, client }: { children: ReactNode; client: QueryClient }) {
  return (
    <UiConfig>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </UiConfig>
  );
}
