import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { BadRequest } from './errors';

/** `If-Match: <version>` (also `"3"` or `W/"3"`) -> the expected version, or undefined when absent. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const m = /^\s*(?:W\/)?"?(-1|\d{1,15})"?\s*$/.exec(value);
  if (!m) {
    throw new BadRequest(`If-Match must be the case's version (an integer), got ${JSON.stringify(value)}`, [
      { field: 'If-Match', reason: 'must be an integer version' },
    ]);
  }
  return Number(m[1]);
}

export const IfMatch = createParamDecorator((_data: unknown, ctx: ExecutionContext): number | undefined =>
  parseIfMatch(ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match']),
);
