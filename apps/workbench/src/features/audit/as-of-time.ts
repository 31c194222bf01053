import type { Dayjs } from 'dayjs';

/**
 * The moment an auditor picks is a Beijing wall-clock time (times in the workbench are Beijing time, whatever
 * the browser's own zone): sent to `as-of` as an ISO time with the +08:00 offset, which the server reads exactly.
 */
export function beijingIso(picked: Dayjs): string {
  return `${picked.format('YYYY-MM-DDTHH:mm:ss')}+08:00`;
}
