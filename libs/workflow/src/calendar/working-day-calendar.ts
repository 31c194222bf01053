import { CalendarData, dayNumber, isoFromDayNumber, weekday } from './calendar-data';

/**
 * Working days in mainland China: Monday–Friday, except public holidays, plus the Saturdays and Sundays
 * a notice declares make-up working days (调休). Pure: the data is injected, dates are ISO `YYYY-MM-DD`.
 *
 * A date whose year has no notice loaded (and that no loaded notice names) counts Monday–Friday, and
 * every answer that relied on such a date says so: `calendarMissing` lists the years, `notes` carries
 * `calendar-missing:<year>` for the case to show. Never silently.
 */

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'make-up-workday';

export interface DayInfo {
  date: string;
  working: boolean;
  kind: DayKind;
  /** The year whose calendar is missing when this answer is Monday–Friday only, else null. */
  calendarMissing: number | null;
}

export interface WorkingDayResult {
  date: string;
  /** Years counted Monday–Friday because no calendar is loaded for them, ascending. */
  calendarMissing: number[];
  /** `calendar-missing:<year>` for each of them. */
  notes: string[];
}

export interface WorkingDayCount {
  days: number;
  calendarMissing: number[];
  notes: string[];
}

export const calendarMissingNote = (year: number): string => `calendar-missing:${year}`;

/** The calendar date in Asia/Shanghai (UTC+8 all year; no daylight saving since 1991) of an instant. */
export function chinaDate(instant: Date | string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Guards against a runaway count (e.g. a review period of a million days). */
const MAX_WORKING_DAYS = 3660;

export class WorkingDayCalendar {
  private readonly holidays = new Set<number>();
  private readonly makeUpWorkdays = new Set<number>();
  private readonly years = new Set<number>();

  constructor(readonly data: CalendarData) {
    for (const [key, entry] of Object.entries(data.years)) {
      this.years.add(Number(key));
      for (const d of entry.holidays) this.holidays.add(requireDay(d, `years.${key}.holidays`));
      for (const d of entry.makeUpWorkdays) this.makeUpWorkdays.add(requireDay(d, `years.${key}.makeUpWorkdays`));
    }
  }

  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  covers(year: number): boolean {
    return this.years.has(year);
  }

  day(date: string): DayInfo {
    return this.info(requireDay(date, 'date'));
  }

  isWorkingDay(date: string): boolean {
    return this.day(date).working;
  }

  /**
   * The `n`-th working day after `date` (the start day itself is not counted; n = 0 gives `date`).
   * E.g. 10 working days after an acceptance on 2019-09-27 (Fri) skip the National Day week.
   */
  addWorkingDays(date: string, n: number): WorkingDayResult {
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
      throw new RangeError(`working days must be an integer between 0 and ${MAX_WORKING_DAYS}, got ${n}`);
    }
    let day = requireDay(date, 'date');
    const missing = new Set<number>();
    for (let counted = 0; counted < n;) {
      day += 1;
      const info = this.info(day);
      if (info.calendarMissing !== null) missing.add(info.calendarMissing);
      if (info.working) counted++;
    }
    return withNotes(isoFromDayNumber(day), missing);
  }

  /**
   * Working days in (from, to]: the inverse of addWorkingDays, so
   * `workingDaysBetween(d, addWorkingDays(d, n).date).days === n`. Negative when `to` is before `from`.
   */
  workingDaysBetween(from: string, to: string): WorkingDayCount {
    const a = requireDay(from, 'from');
    const b = requireDay(to, 'to');
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    const missing = new Set<number>();
    let days = 0;
    for (let day = lo + 1; day <= hi; day++) {
      const info = this.info(day);
      if (info.calendarMissing !== null) missing.add(info.calendarMissing);
      if (info.working) days++;
    }
    const { calendarMissing, notes } = withNotes('', missing);
    return { days: sign * days, calendarMissing, notes };
  }

  private info(day: number): DayInfo {
    const date = isoFromDayNumber(day);
    // A date a loaded notice names is known even when its own year has no entry (notices list late December).
    if (this.holidays.has(day)) return { date, working: false, kind: 'holiday', calendarMissing: null };
    if (this.makeUpWorkdays.has(day)) return { date, working: true, kind: 'make-up-workday', calendarMissing: null };
    const year = Number(date.slice(0, 4));
    const weekend = weekday(day) === 0 || weekday(day) === 6;
    return {
      date,
      working: !weekend,
      kind: weekend ? 'weekend' : 'workday',
      calendarMissing: this.years.has(year) ? null : year,
    };
  }
}

function requireDay(date: string, field: string): number {
  const day = typeof date === 'string' ? dayNumber(date) : null;
  if (day === null) throw new RangeError(`${field}: ${JSON.stringify(date)} is not a date YYYY-MM-DD`);
  return day;
}

function withNotes(date: string, missing: Set<number>): WorkingDayResult {
  const calendarMissing = [...missing].sort((a, b) => a - b);
  return { date, calendarMissing, notes: calendarMissing.map(calendarMissingNote) };
}
