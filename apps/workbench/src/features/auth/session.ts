import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, rememberCsrfToken, unwrap, type Problem } from '../../lib/api/client';
import type { components } from '../../lib/api/schema';

/** The answer of POST and GET /api/v1/session (docs/api.md, "Sessions"). */
export type Session = components['schemas']['SessionAnswer'];

export const SESSION_KEY = ['session'] as const;

/** Who is logged in (GET /session); null when nobody is (401). */
export async function fetchSession(): Promise<Session | null> {
  const result = await api.GET('/api/v1/session');
  if (result.response.status === 401) return null;
  const session = unwrap(result);
  rememberCsrfToken(session.csrfToken);
  return session;
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: Infinity });
}

/** Logs in: the server sets the HttpOnly session cookie; the CSRF token it answers stays in memory. */
export async function login(username: string, password: string): Promise<Session> {
  const session = unwrap(await api.POST('/api/v1/session', { body: { username, password } }));
  rememberCsrfToken(session.csrfToken);
  return session;
}

export function useLogout(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    const result = await api.DELETE('/api/v1/session');
    // Already logged out (the session ended while idle) is as good as logging out.
    if (!result.response.ok && result.response.status !== 401) throw new ApiError(result.response.status, (result.error ?? {}) as Problem);
    rememberCsrfToken(null);
    client.clear();
    client.setQueryData(SESSION_KEY, null);
  };
}
