import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { DomainError, InvalidMoney, InvalidProgram, InvalidUscc, localeFromAcceptLanguage, renderTrace, UnknownPolicyVersion } from '@cbec/domain';
import { WrongExpectedVersion } from '@cbec/event-store';
import { IdempotentReplay } from './idempotent-replay';
import { WorkflowError } from './errors';

/** RFC 9457 body: `type` is a stable URI per `code`; `errors` lists every field problem when there are several. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: ReadonlyArray<Record<string, unknown>>;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const RESERVED = new Set(['type', 'title', 'status', 'code', 'detail', 'instance']);

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  const extensions: Record<string, unknown> = {};
  // An error field named like a member of RFC 9457 (e.g. a case's `status`) must not replace it.
  for (const [key, value] of Object.entries(extra)) extensions[RESERVED.has(key) ? `current${key[0].toUpperCase()}${key.slice(1)}` : key] = value;
  return { ...extensions, type: `urn:cbec:problem:${code}`, title: TITLES[status] ?? 'Error', status, code, detail };
}

/** Own enumerable fields of an error worth showing (field, streamId, actualVersion, reasons...). */
function extensions(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(error)) {
    if (k === 'code' || k === 'httpStatus' || k === 'name' || k === 'message' || k === 'stack') continue;
    if (typeof v === 'function') continue;
    out[k] = v;
  }
  return out;
}

/**
 * Fastify's refusals of a request body (the server's body parsers are in apps/workflow-api), by their
 * `code`, answered with the API's own codes and statuses: a body over the limit
 * is 413 `payload-too-large`, an unreadable body a 400 `invalid-request`, a Content-Type header that is
 * not a media type at all 415 `unsupported-media-type` (as the customs import answers a wrong one). They
 * reach the filter as the error itself or, mapped by Nest's Fastify adapter, as an HttpException whose
 * `cause` it is.
 */
const FASTIFY_BODY_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload-too-large', detail: 'request entity too large' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid-request', detail: 'request size did not match content length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid-request', detail: 'the JSON body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid-request', detail: 'the body is not valid JSON' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    detail: 'the Content-Type header is not a media type: send application/json (or text/csv for the customs import)',
  },
};

function fastifyBodyError(error: unknown): { status: number; code: string; detail: string } | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  const cause = error instanceof HttpException ? (error.cause as { code?: unknown } | undefined)?.code : undefined;
  const code = typeof own === 'string' ? own : typeof cause === 'string' ? cause : undefined;
  return code !== undefined && Object.hasOwn(FASTIFY_BODY_ERRORS, code) ? FASTIFY_BODY_ERRORS[code] : undefined;
}

/** Maps any thrown error to a problem; unknown errors are a 500 that says nothing internal. */
export function toProblem(error: unknown): Problem {
  if (error instanceof WorkflowError || error instanceof DomainError) {
    const ext = extensions(error);
    return problem(error.httpStatus, error.code, error.message, JSON.parse(JSON.stringify(ext)) as Record<string, unknown>);
  }
  if (error instanceof InvalidMoney || error instanceof InvalidProgram || error instanceof InvalidUscc) {
    return problem(400, error.code, error.message, { errors: [{ field: error.field, reason: error.detail }] });
  }
  if (error instanceof UnknownPolicyVersion) return problem(400, error.code, error.message);
  if (error instanceof WrongExpectedVersion) {
    return problem(409, 'version-conflict', error.message, { streamId: error.streamId, actualVersion: error.actual });
  }
  const body = fastifyBodyError(error);
  if (body) return problem(body.status, body.code, body.detail);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? undefined : (response as { message?: unknown }).message;
    const detail = typeof response === 'string' ? response : Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
    const code = status === 404 ? 'not-found' : status === 413 ? 'payload-too-large' : status === 400 ? 'invalid-request' : `http-${status}`;
    return problem(status, code, detail);
  }
  return problem(500, 'internal-error', 'the server failed to handle this request; it was logged');
}

/** A refusal's trace (e.g. `not-eligible`) is for people: rendered in the request's language (docs/chinese.md). */
export function renderProblemFor(body: Problem, acceptLanguage: string | string[] | undefined): Problem {
  const trace = (body as Record<string, unknown>).trace;
  return Array.isArray(trace) ? { ...body, trace: renderTrace(trace, localeFromAcceptLanguage(acceptLanguage)) } : body;
}

/**
 * Answers every error as application/problem+json, through Nest's HTTP adapter (Fastify's reply, or the
 * raw response Nest hands over for an error outside a route). One thrown thing is not an error: an
 * IdempotentReplay (CommandContextGuard) is sent as the first answer was, status and body.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = this.adapterHost.httpAdapter;
    const response: unknown = host.switchToHttp().getResponse();
    if (error instanceof IdempotentReplay) {
      http.setHeader(response, 'Idempotent-Replayed', 'true');
      http.reply(response, error.answer.body, error.answer.status);
      return;
    }
    const request = host.switchToHttp().getRequest<{ headers?: Record<string, string | string[] | undefined> } | undefined>();
    const body = renderProblemFor(toProblem(error), request?.headers?.['accept-language']);
    // A 5xx the server itself names (a read side behind or stopped: logged once where it happens) is an
    // answer; only an unexpected error is logged, with its stack.
    if (body.status >= 500 && !(error instanceof WorkflowError)) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    // A response already under way (the event feed's stream) cannot carry a problem any more.
    if (http.isHeadersSent(response)) return;
    http.setHeader(response, 'Content-Type', 'application/problem+json; charset=utf-8');
    if (body.status === 401) http.setHeader(response, 'WWW-Authenticate', 'Bearer realm="cbec"');
    http.reply(response, JSON.stringify(body), body.status);
  }
}
