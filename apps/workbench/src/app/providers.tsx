import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, useSyncExternalStore } from 'react';
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

const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/**
 * Whether the person's system asks for less motion (WCAG 2.3.3), followed live: the setting can change while the
 * workbench is open.
 */
export function usePrefersReducedMotion(): boolean {
  return useSyncExternalStore(
    (changed) => {
      const query = window.matchMedia?.(REDUCED_MOTION);
      query?.addEventListener?.('change', changed);
      return () => query?.removeEventListener?.('change', changed);
    },
    () => window.matchMedia?.(REDUCED_MOTION).matches ?? false,
  );
}

/**
 * antd in Chinese. Buttons keep their names as written: antd would show a two-character name as "受 理",
 * and people (and the tests, which find buttons by name) read 受理. When the system asks for reduced motion, antd's
 * motion is off: dialogs, menus and pickers appear at once instead of zooming or sliding in (antd itself only
 * stills a few components' CSS transitions under that setting).
 */
export function UiConfig({ children }: { children: ReactNode }) {
  const reducedMotion = usePrefersReducedMotion();
  return (
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { motion: !reducedMotion } }}>
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
