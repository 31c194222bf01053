import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The typed client of the workflow API, its types generated from the service's own OpenAPI document
 * (`npm run api:types`; `npm test` fails when the committed schema differs from a fresh generation).
 * The session travels in the HttpOnly cookie the server sets at login; the CSRF token the login answers
 * is kept in memory only (never in localStorage) and sent with every request that changes something.
 */
export const CSRF_HEADER = 'X-CSRF-Token';

let csrfToken: string | null = null;

export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken !== null) request.headers.set(CSRF_HEADER, csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin', headers: { 'Accept-Language': 'zh-CN' } });
api.use(csrf);

/** A refusal of the server (application/problem+json), carried to the screen that shows it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/** The data of an openapi-fetch answer, or an ApiError with the server's problem: nothing swallowed. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const problem = (typeof result.error === 'object' && result.error !== null ? result.error : { detail: String(result.error ?? '') }) as Problem;
    throw new ApiError(result.response.status, problem);
  }
  return result.data as T;
}

/**
 * Read your writes (docs/api.md): the log position of the last change this page made. Reads send it as
 * `minPosition`, so a screen read right after a change shows that change, never the state before it.
 */
let lastPosition = 0;

export function sawPosition(answer: unknown): void {
  const position = (answer as { position?: unknown } | null)?.position;
  if (typeof position === 'number' && position > lastPosition) lastPosition = position;
}

export function afterMyWrites(): { minPosition?: number } {
  return lastPosition > 0 ? { minPosition: lastPosition } : {};
}
