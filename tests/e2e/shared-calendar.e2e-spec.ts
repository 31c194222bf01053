import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { e2eOnPostgres, engineEnv } from './support/e2e-engine';
import { bearer, call, eventually, ROOT, type ServerProcess, startServer } from './support/process-child-server';

/**
 * A working-day calendar loaded with the CLI against the database (DATABASE_URL) is the calendar of every
 * server started on that database afterwards, whatever its data folder: `calendar show` from another folder
 * sees it, and a server counts a case's review deadlines with it. Runs in the e2e-pg project only.
 */
const suite = e2eOnPostgres() ? describe : describe.skip;
if (!e2eOnPostgres()) console.log('SKIPPED: shared-calendar.e2e-spec: a calendar shared by servers needs PostgreSQL; it runs in the e2e-pg project');

const USCC = '91341500MA2010017C';
// Fri 2027-01-01 and Mon 2027-01-04 off: a test notice, not the real one (the built-in calendar ends with 2026).
const NOTICE_2027 = { years: { '2027': { notice: 'test notice 2027', holidays: ['2027-01-01', '2027-01-04'], makeUpWorkdays: [] } } };

suite('a working-day calendar loaded into the database (DATABASE_URL)', () => {
  let root: string;
  let databaseUrl: string;
  let server: ServerProcess | undefined;

  const cli = (dataDir: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'apps', 'cli', 'launch.js'), 'calendar', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, CBEC_DATA_DIR: join(root, dataDir) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: run.status, stderr: run.stderr, out: run.stdout ? (JSON.parse(run.stdout) as Record<string, unknown>) : null };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cbec-shared-calendar-'));
    databaseUrl = (await engineEnv(join(root, 'server'))).DATABASE_URL!;
  });
  afterAll(async () => {
    await server?.kill();
    rmSync(root, { recursive: true, force: true });
  }, 30_000);

  it('calendar load writes to the database; calendar show from another data folder, and a server started afterwards, use it', async () => {
    // Before the load: 2027 is not covered, from any folder.
    expect(cli('operator', 'show', '2027')).toMatchObject({ status: 0, out: { covered: false, note: 'calendar-missing:2027' } });

    writeFileSync(join(root, 'cn-workdays-2027.json'), JSON.stringify(NOTICE_2027));
    const loaded = cli('operator', 'load', 'cn-workdays-2027.json');
    expect(loaded).toMatchObject({ status: 0, out: { years: [2027], installedAs: 'database: working_day_calendars/cn-workdays-2027.json' } });

    // The row is in the database, and no data folder holds a calendar file.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT name, loaded_from FROM working_day_calendars');
      expect(rows).toEqual([{ name: 'cn-workdays-2027.json', loaded_from: expect.stringContaining(join(root, 'cn-workdays-2027.json')) }]);
    } finally {
      await db.end();
    }
    expect(existsSync(join(root, 'operator', 'calendar'))).toBe(false);

    // Another machine's CLI, with a data folder of its own, reads the same calendar.
    expect(cli('elsewhere', 'show', '2027')).toMatchObject({
      status: 0,
      out: { covered: true, source: 'database: working_day_calendars/cn-workdays-2027.json', holidays: ['2027-01-01', '2027-01-04'] },
    });

    // A server started afterwards with yet another data folder counts deadlines on it. Accepted Thu 2026-12-24,
    // ten working days: Monday–Friday would end on Thu 2027-01-07 with calendar-missing:2027; the loaded notice
    // takes 1/1 and 1/4 off, so the reviews are due Mon 2027-01-11 and no note is given.
    // Its data folder holds a calendar file of its own from before DATABASE_URL: not read, and the log says so.
    const dataDir = join(root, 'server');
    mkdirSync(join(dataDir, 'calendar'), { recursive: true });
    writeFileSync(join(dataDir, 'calendar', 'zz-local.json'), JSON.stringify({ years: { '2027': { holidays: [], makeUpWorkdays: [] } } }));
    server = await startServer(dataDir, { DATABASE_URL: databaseUrl, CBEC_FIXED_NOW: '2026-12-24T02:00:00.000Z' });
    expect(server.output()).toContain(`not read: ${join(dataDir, 'calendar', 'zz-local.json')}`);
    const submitted = await call(server, 'POST', '/api/v1/applications', bearer(dataDir, 'COM', 'officer', undefined, 'com-clerk'), {
      program: 'P1',
      year: 2019,
      beneficiary: { uscc: USCC, kind: 'enterprise' },
      claims: { otherMunicipalTradeAward: false },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.applicationId as string;
    const accepted = await call(server, 'POST', `/api/v1/applications/${id}/acceptance`, bearer(dataDir, 'FIN', 'officer'), {});
    expect(accepted).toMatchObject({ status: 201, body: { dueDate: '2027-01-11', notes: [] } });

    // The approval process (the same calendar) gives the same due dates.
    const deadlines = await eventually(
      "the approval process's deadlines",
      () => call(server!, 'GET', `/api/v1/applications/${id}/deadlines?minPosition=${accepted.body.position as number}`, bearer(dataDir, 'FIN', 'officer')),
      (r) => r.status === 200,
      10_000,
    );
    expect(deadlines.body).toMatchObject({ acceptedOn: '2026-12-24', calendarNotes: [] });
    const reviews = deadlines.body.reviews as Array<{ unit: string; dueDate: string }>;
    expect(reviews.length).toBeGreaterThan(0);
    expect(reviews.filter((r) => r.dueDate !== '2027-01-11')).toEqual([]);
  });
});
