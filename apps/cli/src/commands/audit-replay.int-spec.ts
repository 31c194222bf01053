import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresEventStore, openSqliteEventStore, type EventStore } from '@cbec/event-store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../../libs/event-store/src/testing/postgres-test-database';
import { Scenario, uscc } from '../../../../libs/projections/src/testing/scenario';
import { runCli } from '../cli';
import { auditCommand } from './audit.command';

/** `npm run cli -- audit replay` in-process: its exit code and the summary it printed. */
async function replay(env: Record<string, string>, cwd: string): Promise<{ code: number; summary: any; err: unknown[] }> {
  const out: unknown[] = [];
  const err: unknown[] = [];
  const code = await runCli([auditCommand], ['audit', 'replay'], { out: (v) => out.push(JSON.parse(JSON.stringify(v))), err: (v) => err.push(v), env, cwd });
  return { code, summary: out[0], err };
}

/** A fund, a case through its whole life and one submitted: 14 events on 5 streams. */
async function seed(store: EventStore): Promise<Scenario> {
  const s = new Scenario(store);
  await s.allocate(2019, '1000000.00');
  await s.wholeLife('a1', uscc(1), '100000.00');
  await s.submit('a2', 'P1', uscc(2));
  return s;
}

/** What an older code might have written: an acceptance without the reviews today's `evolve` reads. */
const unfoldable = (s: Scenario) => s.appendAsStored('application-a2', 'CaseAccepted', { applicationId: 'a2', round: 1 });

let dir: string;
let sqliteEnv: Record<string, string>;
let sqliteStore: EventStore;
let sqliteScenario: Scenario;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-cli-replay-'));
  sqliteEnv = { CBEC_DATA_DIR: join(dir, 'sqlite') };
  // Left open, as a running server's is: the CLI reads the same file beside it.
  sqliteStore = openSqliteEventStore({ directory: join(dir, 'sqlite') });
  sqliteScenario = await seed(sqliteStore);
});
afterEach(async () => {
  await sqliteStore.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cli audit replay on the SQLite log', () => {
  it('folds every stream of the log through the domain and counts them by kind (exit 0)', async () => {
    const { code, summary } = await replay(sqliteEnv, dir);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ events: await sqliteStore.headPosition(), failures: [], byKind: { case: { streams: 2 }, fund: { streams: 1 } } });
  });

  it('names an event the current code cannot fold, with exit 1', async () => {
    await unfoldable(sqliteScenario);
    const { code, summary } = await replay(sqliteEnv, dir);
    expect(code).toBe(1);
    expect(summary.failures).toEqual([{ streamId: 'application-a2', version: 1, type: 'CaseAccepted', error: expect.stringMatching(/reviews|map/) }]);
  });
});

describeOnPostgres('cli audit replay on the PostgreSQL log (DATABASE_URL)', () => {
  let database: TestDatabase;
  let pgEnv: Record<string, string>;
  let pgScenario: Scenario;
  let pgStore: EventStore;

  beforeEach(async () => {
    database = await createTestDatabase('cli_audit_replay');
    mkdirSync(join(dir, 'pg-data'));
    pgEnv = { CBEC_DATA_DIR: join(dir, 'pg-data'), DATABASE_URL: database.url };
    pgStore = openPostgresEventStore({ connectionString: database.url });
    pgScenario = await seed(pgStore);
  }, 60_000);
  afterEach(async () => {
    await pgStore?.close();
    await database?.drop();
  }, 60_000);

  it('reads the log in the database and sums it up as the SQLite replay sums up the same events (exit 0)', async () => {
    const sqlite = await replay(sqliteEnv, dir);
    const pg = await replay(pgEnv, dir);
    expect(pg.err).toEqual([]);
    expect(pg.code).toBe(0);
    expect(pg.summary.events).toBe(await pgStore.headPosition());
    expect(pg.summary).toEqual(sqlite.summary);
  });

  it('names an event the current code cannot fold, with exit 1, as the SQLite replay does', async () => {
    await unfoldable(sqliteScenario);
    await unfoldable(pgScenario);
    const sqlite = await replay(sqliteEnv, dir);
    const pg = await replay(pgEnv, dir);
    expect(pg.code).toBe(1);
    expect(pg.summary.failures).toEqual([{ streamId: 'application-a2', version: 1, type: 'CaseAccepted', error: expect.stringMatching(/reviews|map/) }]);
    expect(pg.summary).toEqual(sqlite.summary);
  });
});
