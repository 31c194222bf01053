import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, InvalidMoney, InvalidProgram, InvalidUscc, UnknownPolicyVersion } from '@cbec/domain';
import { WrongExpectedVersion } from '@cbec/event-store';
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
  500: 'Internal Server Error',
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
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const body = error.getResponse();
    const detail = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? error.message);
    const code = status === 404 ? 'not-found' : status === 413 ? 'payload-too-large' : status === 400 ? 'invalid-request' : `http-${status}`;
    return problem(status, code, Array.isArray((body as { message?: unknown }).message) ? ((body as { message: string[] }).message.join('; ')) : detail);
  }
  // body-parser's errors carry their status: malformed JSON (400), a body over the limit (413), a charset it cannot read (415).
  const parser = error as { type?: unknown; status?: unknown; message?: unknown };
  if (typeof parser?.type === 'string' && typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
    const code = parser.type === 'entity.parse.failed' ? 'malformed-body' : parser.type === 'entity.too.large' ? 'payload-too-large' : parser.type.replace(/\./g, '-');
    return problem(parser.status, code, `the request body could not be read: ${String(parser.message)}`);
  }
  return problem(500, 'internal-error', 'the server failed to handle this request; it was logged');
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<{
      status(code: number): unknown;
      setHeader(name: string, value: string): void;
      end(body: string): void;
      headersSent?: boolean;
    }>();
    const body = toProblem(error);
    if (body.status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (response.headersSent) return;
    response.status(body.status);
    response.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
    if (body.status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="cbec"');
    response.end(JSON.stringify(body));
  }
}
