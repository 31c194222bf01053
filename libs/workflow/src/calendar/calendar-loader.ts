import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CalendarData, InvalidCalendar, mergeCalendars, parseCalendarData } from './calendar-data';
import { calendarName, CalendarStore, FolderCalendarStore } from './calendar-store';
import { PostgresCalendarStore } from './postgres-calendar-store';
import { WorkingDayCalendar } from './working-day-calendar';

/**
 * Where the calendar comes from, later layers winning per year:
 * 1. the built-in `infra/data/cn-workdays.json` (2019–2026),
 * 2. the calendars `cli calendar load` installed, by name: every `<CBEC_DATA_DIR>/calendar/*.json`, or with
 *    DATABASE_URL the rows of `working_day_calendars`, shared by every server on the database (calendar-store.ts),
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

/** The loaded calendars of a data folder (`<dataDir>/calendar/*.json`), read with the loader's validation. */
export function folderCalendarStore(dataDir: string): FolderCalendarStore {
  return new FolderCalendarStore(dataDir, readCalendarFile);
}

/** The store `calendar load` writes and servers read: the database with DATABASE_URL, else the data folder. */
export function calendarStoreFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): CalendarStore {
  const databaseUrl = env.DATABASE_URL?.trim();
  return databaseUrl ? new PostgresCalendarStore(databaseUrl) : folderCalendarStore(dataDir);
}

interface Layer {
  source: string;
  data: CalendarData;
}

function builtInLayer(cwd?: string): Layer {
  const path = builtInCalendarPath(cwd);
  return { source: path, data: readCalendarFile(path) };
}

function envLayers(env: NodeJS.ProcessEnv, cwd?: string): Layer[] {
  if (!env.CBEC_CALENDAR_FILE) return [];
  const path = resolve(cwd ?? process.cwd(), env.CBEC_CALENDAR_FILE);
  return [{ source: path, data: readCalendarFile(path) }];
}

function loaded(layers: Layer[]): LoadedCalendar {
  const { data, sources } = mergeCalendars(layers);
  return { calendar: new WorkingDayCalendar(data), sources, files: layers.map((l) => l.source) };
}

export function calendarFiles(options: { dataDir?: string; env?: NodeJS.ProcessEnv; cwd?: string }): string[] {
  const env = options.env ?? process.env;
  const files = [builtInCalendarPath(options.cwd)];
  if (options.dataDir) files.push(...folderCalendarStore(options.dataDir).files());
  if (env.CBEC_CALENDAR_FILE) files.push(resolve(options.cwd ?? process.cwd(), env.CBEC_CALENDAR_FILE));
  return files;
}

/** The data folder's calendar, synchronously: what a server without DATABASE_URL reads at start. */
export function loadCalendar(options: { dataDir?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedCalendar {
  return loaded(calendarFiles(options).map((f) => ({ source: f, data: readCalendarFile(f) })));
}

/** The built-in calendar, then `store`'s calendars by name, then `CBEC_CALENDAR_FILE`: what a server reads at start. */
export async function loadCalendarFrom(store: CalendarStore, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<LoadedCalendar> {
  const builtIn = builtInLayer(options.cwd);
  const stored = await store.list();
  return loaded([builtIn, ...stored, ...envLayers(options.env ?? process.env, options.cwd)]);
}

/** With DATABASE_URL: the database's calendars, read once at start (the pool closed after). */
export async function loadCalendarFromDatabase(databaseUrl: string, options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<LoadedCalendar> {
  const store = new PostgresCalendarStore(databaseUrl);
  try {
    return await loadCalendarFrom(store, options);
  } finally {
    await store.close();
  }
}

/**
 * Validates `file` alone and merged over what is loaded now (less a calendar of the same name, which it
 * replaces), then keeps it in `store`, where every later start picks it up. A refused file changes nothing.
 */
export async function installCalendar(
  store: CalendarStore,
  file: string,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; now?: Date } = {},
): Promise<{ installedAs: string; years: number[]; coveredYears: number[] }> {
  const data = readCalendarFile(file);
  const name = calendarName(file);
  const stored = (await store.list()).filter((c) => c.name !== name);
  const merged = mergeCalendars([builtInLayer(options.cwd), ...stored, ...envLayers(options.env ?? process.env, options.cwd), { source: file, data }]);
  const installedAs = await store.put(name, data, { from: `${hostname()}:${resolve(file)}`, at: options.now ?? new Date() });
  return {
    installedAs,
    years: Object.keys(data.years)
      .map(Number)
      .sort((a, b) => a - b),
    coveredYears: Object.keys(merged.data.years)
      .map(Number)
      .sort((a, b) => a - b),
  };
}
