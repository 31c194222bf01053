import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CalendarData } from './calendar-data';

/** A calendar loaded with `cli calendar load`: its name (the file's), where it is kept, and its validated dates. */
export interface StoredCalendar {
  name: string;
  /** Where it is kept, as `calendar show` names it: a file of the data folder, or a row of the database. */
  source: string;
  data: CalendarData;
}

/**
 * The calendars loaded with the CLI, layered between the built-in calendar and `CBEC_CALENDAR_FILE`
 * (calendar-loader.ts): the data folder's `calendar/*.json`, or with DATABASE_URL the table
 * `working_day_calendars`, which every server on the database reads. Each adapter passes one contract
 * (calendar-store.contract.ts). One rule on both: a calendar is named after its file (`.json` added when
 * missing), the same name loaded again replaces the earlier one whole, and `list` answers by name.
 */
export abstract class CalendarStore {
  /** Every loaded calendar, by name (JavaScript's string order, the order the folder's files were always read in). */
  abstract list(): Promise<StoredCalendar[]>;
  /** Keeps `data` (already validated) under `name`, replacing a calendar of that name; answers its source. */
  abstract put(name: string, data: CalendarData, loaded: { from: string; at: Date }): Promise<string>;
  abstract close(): Promise<void>;
}

/** The name a loaded file is kept under: its base name, `.json` added when missing. */
export function calendarName(file: string): string {
  const name = basename(file);
  return name.endsWith('.json') ? name : `${name}.json`;
}

/** Names in the one order every adapter lists them in. */
export function byName<T extends { name: string }>(calendars: T[]): T[] {
  return [...calendars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What a calendar is stored as: the validated document, one date a line, as the folder's files always were. */
export function calendarText(data: CalendarData): string {
  return JSON.stringify(data, null, 1) + '\n';
}

/**
 * `<dataDir>/calendar/*.json` (no DATABASE_URL): what one server reads at start. Files are read and validated
 * by the loader (`readCalendarFile`), so a bad file names itself; a write is atomic (write, then rename).
 */
export class FolderCalendarStore extends CalendarStore {
  constructor(
    readonly dataDir: string,
    private readonly readFile: (path: string) => CalendarData,
  ) {
    super();
  }

  get dir(): string {
    return join(this.dataDir, 'calendar');
  }

  /** The files, by name (synchronous: the SQLite path loads the calendar as it always did). */
  files(): string[] {
    if (!existsSync(this.dir)) return [];
    return byName(
      readdirSync(this.dir)
        .filter((f) => f.endsWith('.json'))
        .map((name) => ({ name })),
    ).map((f) => join(this.dir, f.name));
  }

  listSync(): StoredCalendar[] {
    return this.files().map((path) => ({ name: basename(path), source: path, data: this.readFile(path) }));
  }

  async list(): Promise<StoredCalendar[]> {
    return this.listSync();
  }

  async put(name: string, data: CalendarData): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const target = join(this.dir, name);
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, calendarText(data));
    renameSync(tmp, target);
    return target;
  }

  async close(): Promise<void> {
    // nothing held open
  }
}
