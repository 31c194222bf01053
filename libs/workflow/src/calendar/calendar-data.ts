/**
 * The working-day calendar as DATA (the format of `infra/data/cn-workdays.json`): per year, the public
 * holidays and the make-up working days (调休) of the State Council General Office's annual notice. A new
 * year is a new entry, never a code change. Pure: parsing and validation only, no I/O.
 */

export interface CalendarYear {
  /** The notice the dates come from (e.g. 国办发明电〔2018〕15号). */
  notice?: string;
  /** Days off, including the weekend days a holiday block absorbs. */
  holidays: string[];
  /** Saturdays and Sundays that are working days (调休). */
  makeUpWorkdays: string[];
  [extra: string]: unknown;
}

export interface CalendarData {
  /** Year (4 digits) -> its notice's dates. A notice may list dates of the neighbouring year (late December, early January). */
  years: Record<string, CalendarYear>;
}

export class InvalidCalendar extends Error {
  readonly code = 'invalid-calendar';
  constructor(
    readonly source: string,
    /** Every problem found, each naming the year and the date or field. */
    readonly problems: string[],
  ) {
    super(`${source}: invalid calendar: ${problems.join('; ')}`);
    this.name = 'InvalidCalendar';
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO date, or null when it is not a real calendar date. */
export function dayNumber(date: string): number | null {
  const m = ISO_DATE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / 86_400_000;
}

export function isoFromDayNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday .. 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/**
 * Validates a calendar document: year keys are 4-digit years, every date is a real date of that year
 * (or of late December before / early January after, which notices do list), make-up days fall on a
 * weekend, and no date is both a holiday and a make-up working day. Lists every problem at once.
 */
export function parseCalendarData(input: unknown, source = 'calendar'): CalendarData {
  const problems: string[] = [];
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidCalendar(source, ['must be a JSON object with a "years" object']);
  }
  const years = (input as { years?: unknown }).years;
  if (!years || typeof years !== 'object' || Array.isArray(years)) {
    throw new InvalidCalendar(source, ['"years" must be an object: { "<year>": { "holidays": [...], "makeUpWorkdays": [...] } }']);
  }
  const out: Record<string, CalendarYear> = {};
  if (Object.keys(years).length === 0) problems.push('"years" is empty');
  for (const [key, raw] of Object.entries(years as Record<string, unknown>)) {
    if (!/^\d{4}$/.test(key) || Number(key) < 2000 || Number(key) > 2100) {
      problems.push(`year key "${key}" is not a year between 2000 and 2100`);
      continue;
    }
    const year = Number(key);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push(`years.${key} must be an object with "holidays" and "makeUpWorkdays"`);
      continue;
    }
    const entry = raw as Record<string, unknown>;
    const lists: Record<'holidays' | 'makeUpWorkdays', string[]> = { holidays: [], makeUpWorkdays: [] };
    for (const field of ['holidays', 'makeUpWorkdays'] as const) {
      const list = entry[field];
      if (!Array.isArray(list)) {
        problems.push(`years.${key}.${field} must be an array of dates YYYY-MM-DD`);
        continue;
      }
      list.forEach((value, i) => {
        const day = typeof value === 'string' ? dayNumber(value) : null;
        if (day === null) {
          problems.push(`years.${key}.${field}[${i}] ${JSON.stringify(value)} is not a date YYYY-MM-DD`);
          return;
        }
        const date = value as string;
        if (!belongsToNotice(date, year)) {
          problems.push(`years.${key}.${field}[${i}] ${date} is outside ${key} (only late December ${year - 1} or early January ${year + 1} may be listed)`);
          return;
        }
        if (field === 'makeUpWorkdays' && weekday(day) !== 0 && weekday(day) !== 6) {
          problems.push(`years.${key}.makeUpWorkdays[${i}] ${date} is a weekday: a make-up working day (调休) is a Saturday or Sunday`);
          return;
        }
        lists[field].push(date);
      });
    }
    const makeUp = new Set(lists.makeUpWorkdays);
    for (const date of lists.holidays) {
      if (makeUp.has(date)) problems.push(`years.${key}: ${date} is listed both as a holiday and as a make-up working day`);
    }
    if (entry.notice !== undefined && typeof entry.notice !== 'string') problems.push(`years.${key}.notice must be a string`);
    out[key] = { ...entry, holidays: lists.holidays, makeUpWorkdays: lists.makeUpWorkdays } as CalendarYear;
  }
  problems.push(...crossYearOverlaps(out));
  if (problems.length > 0) throw new InvalidCalendar(source, problems);
  return { years: out };
}

function belongsToNotice(date: string, year: number): boolean {
  const y = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return y === year || (y === year - 1 && month === 12) || (y === year + 1 && month === 1);
}

/** A date declared a holiday by one year's notice and a make-up day by another's. */
function crossYearOverlaps(years: Record<string, CalendarYear>): string[] {
  const holidayOf = new Map<string, string>();
  for (const [key, entry] of Object.entries(years)) for (const d of entry.holidays) holidayOf.set(d, key);
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(years)) {
    for (const d of entry.makeUpWorkdays) {
      const other = holidayOf.get(d);
      if (other !== undefined && other !== key) {
        problems.push(`${d} is a holiday in years.${other} and a make-up working day in years.${key}`);
      }
    }
  }
  return problems;
}

/**
 * Later calendars win per year: a year's entry replaces the earlier one whole (a revised notice
 * supersedes the original), other years are kept. The result is validated again (cross-year overlaps).
 */
export function mergeCalendars(layers: ReadonlyArray<{ source: string; data: CalendarData }>): {
  data: CalendarData;
  sources: Record<string, string>;
} {
  const years: Record<string, CalendarYear> = {};
  const sources: Record<string, string> = {};
  for (const layer of layers) {
    for (const [key, entry] of Object.entries(layer.data.years)) {
      years[key] = entry;
      sources[key] = layer.source;
    }
  }
  const problems = crossYearOverlaps(years);
  if (problems.length > 0) throw new InvalidCalendar(layers.map((l) => l.source).join(' + '), problems);
  return { data: { years }, sources };
}
