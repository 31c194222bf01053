import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CalendarData, InvalidCalendar, mergeCalendars, parseCalendarData } from './calendar-data';
import { WorkingDayCalendar } from './working-day-calendar';

/**
 * Where the calendar comes from, later layers winning per year:
 * 1. the built-in `infra/data/cn-workdays.json` (2019–2026),
 * 2. every `<CBEC_DATA_DIR>/calendar/*.json`, by file name (what `cli calendar load` installs),
 * 3. `CBEC_CALENDAR_FILE`, when set.
 * So a new year's notice is loaded without a code change.
 */

export const BUILT_IN_CALENDAR = join('infra', 'data', 'cn-workdays.json');

export interface LoadedCalendar {
  calendar: WorkingDayCalendar;
  /** Year -> the file its entry came from. */
  sources: Record<string, string>;
  files: string[];
}

/** The built-in calendar, found from this module (src under jest, dist when built) or the working directory. */
export function builtInCalendarPath(cwd = process.cwd()): string {
  for (const start of [__dirname, cwd]) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, BUILT_IN_CALENDAR);
      if (existsSync(candidate)) return candidate;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new InvalidCalendar(BUILT_IN_CALENDAR, [`not found above ${__dirname} or ${cwd}`]);
}

export function calendarDir(dataDir: string): string {
  return join(dataDir, 'calendar');
}

/** Reads and validates one calendar file; bad JSON or bad content names the file and every problem. */
export function readCalendarFile(path: string): CalendarData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidCalendar(path, [`cannot read: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InvalidCalendar(path, [`not JSON: ${(e as Error).message}`]);
  }
  return parseCalendarData(json, path);
}

export function calendarFiles(options: { dataDir?: string; env?: NodeJS.ProcessEnv; cwd?: string }): string[] {
  const env = options.env ?? process.env;
  const files = [builtInCalendarPath(options.cwd)];
  if (options.dataDir) {
    const dir = calendarDir(options.dataDir);
    if (existsSync(dir)) {
      files.push(
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => join(dir, f)),
      );
    }
  }
  if (env.CBEC_CALENDAR_FILE) files.push(resolve(options.cwd ?? process.cwd(), env.CBEC_CALENDAR_FILE));
  return files;
}

export function loadCalendar(options: { dataDir?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedCalendar {
  const files = calendarFiles(options);
  const { data, sources } = mergeCalendars(files.map((f) => ({ source: f, data: readCalendarFile(f) })));
  return { calendar: new WorkingDayCalendar(data), sources, files };
}

/**
 * Validates `file` alone and merged over what is loaded now, then copies it into
 * `<dataDir>/calendar/` (atomically: write then rename), where every later start picks it up.
 */
export function installCalendarFile(
  file: string,
  options: { dataDir: string; env?: NodeJS.ProcessEnv; cwd?: string },
): { installedAs: string; years: number[]; coveredYears: number[] } {
  const data = readCalendarFile(file);
  const current = calendarFiles(options);
  const target = join(calendarDir(options.dataDir), basename(file).endsWith('.json') ? basename(file) : `${basename(file)}.json`);
  const layers = current.filter((f) => resolve(f) !== resolve(target)).map((f) => ({ source: f, data: readCalendarFile(f) }));
  const merged = mergeCalendars([...layers, { source: file, data }]);
  mkdirSync(calendarDir(options.dataDir), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 1) + '\n');
  renameSync(tmp, target);
  return {
    installedAs: target,
    years: Object.keys(data.years)
      .map(Number)
      .sort((a, b) => a - b),
    coveredYears: Object.keys(merged.data.years)
      .map(Number)
      .sort((a, b) => a - b),
  };
}
