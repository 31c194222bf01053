import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, CSRF_HEADER, rememberCsrfToken, type Problem } from '../../lib/api/client';

/** The answer of POST and GET /api/v1/session (docs/api.md, "Sessions"). */
export interface Session {
  user: string;
  displayName: string;
  unit: string;
  role: string;
  uscc: string | null;
  authenticatedBy: 'session' | 'token';
  csrfToken: string | null;
  idleTimeoutSeconds: number | null;
}

export const SESSION_KEY = ['session'] as const;

async function sessionCall(method: 'GET' | 'POST' | 'DELETE', body?: unknown, csrf?: string | null): Promise<Response> {
  return fetch('/api/v1/session', {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', ...(csrf ? { [CSRF_HEADER]: csrf } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function refusal(response: Response): Promise<ApiError> {
  const problem = (await response.json().catch(() => ({}))) as Problem;
  return new ApiError(response.status, problem);
}

/** Who is logged in (GET /session); null when nobody is (401). */
export async function fetchSession(): Promise<Session | null> {
  const response = await sessionCall('GET');
  if (response.status === 401) return null;
  if (!response.ok) throw await refusal(response);
  const session = (await response.json()) as Session;
  rememberCsrfToken(session.csrfToken);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity });
}

export async function login(username: string, password: string): Promise<Session> {
  const response = await sessionCall('POST', { username, password });
  if (!response.ok) throw await refusal(response);
  const session = (await response.json()) as Session;
  rememberCsrfToken(session.csrfToken);
  return session;
}

export function useLogout(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    const csrf = (client.getQueryData(SESSION_KEY) as Session | null | undefined)?.csrfToken;
    const response = await sessionCall('DELETE', undefined, csrf);
    if (!response.ok && response.status !== 401) throw await refusal(response);
    rememberCsrfToken(null);
    client.clear();
    client.setQueryData(SESSION_KEY, null);
  };
}
