import { AuditBadInput } from '../shared/history-entry';

/** A moment of the log: a global position (inclusive) or an instant (events recorded at or before it). */
export type At = { globalPosition: number } | { time: string };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** `12345` is a global position; `2026-03-01T10:00:00Z` (or a date) is a time. */
export function parseAt(text: unknown, field = 'at'): At {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new AuditBadInput(field, 'must be a global position (e.g. 1200) or an ISO time (e.g. 2026-03-01T10:00:00Z)');
  }
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (!Number.isSafeInteger(n)) throw new AuditBadInput(field, `position ${t} is too large`);
    return { globalPosition: n };
  }
  if (!ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t))) {
    throw new AuditBadInput(field, `"${t}" is neither a global position nor an ISO time such as 2026-03-01T10:00:00Z`);
  }
  // A bare date means the end of that day in UTC: "as it stood on 2026-03-01".
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T23:59:59.999Z` : new Date(t).toISOString();
  return { time: iso };
}

export function asOfOption(at: At): string | { globalPosition: number } {
  return 'time' in at ? at.time : { globalPosition: at.globalPosition };
}
