import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';
import { CalendarData, InvalidCalendar, parseCalendarData } from './calendar-data';
import { byName, CalendarStore, calendarText, StoredCalendar } from './calendar-store';

/** The table's name as `calendar show` and `calendar load` print a calendar's source. */
export function databaseCalendarSource(name: string): string {
  return `database: working_day_calendars/${name}`;
}

/**
 * The loaded calendars in PostgreSQL (DATABASE_URL): one row per name, written by `cli calendar load` and
 * read by every server on the database at its start, so all count review deadlines on the same days. The
 * row keeps the validated document as text, when it was loaded and from which file on which host (the
 * folder kept neither). A name loaded again replaces its row, as a file of the same name replaced the file.
 */
export class PostgresCalendarStore extends CalendarStore {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'calendar');
    this.ready = ensurePostgresTables(
      this.pool,
      'working-day-calendars',
      `CREATE TABLE IF NOT EXISTS working_day_calendars (
         name TEXT COLLATE "C" PRIMARY KEY,
         content TEXT NOT NULL,
         loaded_at TEXT NOT NULL,
         loaded_from TEXT NOT NULL
       );`,
    );
    this.ready.catch(() => undefined);
  }

  async list(): Promise<StoredCalendar[]> {
    await this.ready;
    const { rows } = await this.pool.query<{ name: string; content: string }>('SELECT name, content FROM working_day_calendars');
    // Validated again on the way out, as a file is: a row edited by hand that is no calendar stops the start, naming itself.
    return byName(
      rows.map((row) => {
        const source = databaseCalendarSource(row.name);
        let json: unknown;
        try {
          json = JSON.parse(row.content);
        } catch (e) {
          throw new InvalidCalendar(source, [`not JSON: ${(e as Error).message}`]);
        }
        return { name: row.name, source, data: parseCalendarData(json, source) };
      }),
    );
  }

  async put(name: string, data: CalendarData, loaded: { from: string; at: Date }): Promise<string> {
    await this.ready;
    await this.pool.query(
      `INSERT INTO working_day_calendars (name, content, loaded_at, loaded_from) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET content = EXCLUDED.content, loaded_at = EXCLUDED.loaded_at, loaded_from = EXCLUDED.loaded_from`,
      [name, calendarText(data), loaded.at.toISOString(), loaded.from],
    );
    return databaseCalendarSource(name);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
