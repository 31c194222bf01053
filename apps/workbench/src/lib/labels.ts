/**
 * The one catalogue of labels, shared with the server's Chinese rendering (libs/domain/src/i18n): no
 * component spells a status, unit or program name itself.
 */
export { formatInstant, formatMoney, label, renderTrace, type RenderedTraceStep } from '@cbec/i18n';
import { formatInstant, label } from '@cbec/i18n';
import { ApiError, type Problem } from './api/client';

/** "2020-03-16" stays a date; an instant becomes Beijing time ("2026-11-25 10:00 北京时间"). */
export function beijing(isoOrDate: string | null | undefined): string {
  return isoOrDate ? formatInstant(isoOrDate) : '—';
}

/** A refusal in Chinese: the catalogue's label of its code, then the server's own detail. */
export function problemText(problem: Problem): string {
  const code = typeof problem.code === 'string' ? problem.code : undefined;
  // Problem codes are labelled as errors; a refusal by the rules carries a policy reason's code.
  const zh = code ? [label('error', code), label('reason', code)].find((text) => !text.startsWith('〔未译〕')) : undefined;
  const known = zh !== undefined;
  const detail = problem.detail ?? problem.title ?? '';
  return known ? (detail ? `${zh}（${detail}）` : zh) : detail || '请求失败';
}

/** Any failure of a read or a command as one Chinese line: a server refusal by its catalogue label, else its message. */
export function errorText(error: unknown): string {
  return error instanceof ApiError ? problemText(error.problem) : error instanceof Error ? error.message : String(error);
}
