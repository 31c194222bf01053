import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { folderCalendarStore } from './calendar-loader';
import type { CalendarStore } from './calendar-store';
import { calendarStoreContract } from './calendar-store.contract';
import { PostgresCalendarStore } from './postgres-calendar-store';

describe('the data folder adapter (no DATABASE_URL)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  calendarStoreContract('data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cal-store-'));
    dirs.push(dir);
    return () => folderCalendarStore(dir);
  });

  it('keeps each calendar as <dataDir>/calendar/<name>, and a name loaded again leaves one file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-cal-store-'));
    dirs.push(dir);
    const store: CalendarStore = folderCalendarStore(dir);
    const data = { years: { '2027': { holidays: ['2027-01-01'], makeUpWorkdays: [] } } };
    const at = new Date();
    expect(await store.put('2027.json', data, { from: '/x', at })).toBe(join(dir, 'calendar', '2027.json'));
    await store.put('2027.json', data, { from: '/x', at });
    expect(readdirSync(join(dir, 'calendar'))).toEqual(['2027.json']);
  });
});

describeOnPostgres('the PostgreSQL adapter (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('calendar');
  });
  afterAll(async () => {
    await database?.drop();
  });
  const sql = async (text: string): Promise<void> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  // Each test starts without the table: created again on first use, as on a new database.
  calendarStoreContract('postgres', async () => {
    await sql('DROP TABLE IF EXISTS working_day_calendars');
    return () => new PostgresCalendarStore(database.url);
  });

  it('a row that is not a calendar stops the read, naming the row', async () => {
    const store = new PostgresCalendarStore(database.url);
    try {
      await store.list();
      await sql(
        `INSERT INTO working_day_calendars VALUES ('broken.json', '{"years": {"2027": {"holidays": ["2027-02-30"], "makeUpWorkdays": []}}}', 'now', 'psql')`,
      );
      await expect(store.list()).rejects.toThrow(
        'database: working_day_calendars/broken.json: invalid calendar: years.2027.holidays[0] "2027-02-30" is not a date',
      );
    } finally {
      await store.close();
      await sql('DROP TABLE IF EXISTS working_day_calendars');
    }
  });
});
