import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresEventStore, openSqliteEventStore } from '@cbec/event-store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../../libs/event-store/src/testing/postgres-test-database';
import { PostgresReadModelEngine } from '../../../../libs/projections/src/runner/postgres-read-model-engine';
import { ReadModelDb } from '../../../../libs/projections/src/runner/read-model-db';
import { ALL_PROJECTIONS } from '../../../../libs/projections/src/projections';
import { Scenario, uscc } from '../../../../libs/projections/src/testing/scenario';
import { CliIo, runCli } from '../cli';
import { projectionsCommand } from './projections.command';

let dir: string;
let out: unknown[];
let err: unknown[];
const io = (): CliIo => ({ out: (v) => out.push(v), err: (v) => err.push(v), env: { CBEC_DATA_DIR: join(dir, 'data') }, cwd: dir });
const cli = (...args: string[]) => runCli([projectionsCommand], ['projections', ...args], io());

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-cli-projections-'));
  out = [];
  err = [];
  const store = openSqliteEventStore({ directory: join(dir, 'data') });
  const s = new Scenario(store);
  await s.allocate(2019, '1000000.00');
  await s.wholeLife('a1', uscc(1), '100000.00');
  await s.submit('a2', 'P1', uscc(2));
  await store.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cli projections', () => {
  it('rebuild replays the log of CBEC_DATA_DIR into its read-models.db', async () => {
    expect(await cli('rebuild')).toBe(0);
    expect(out[0]).toMatchObject({ rebuilt: join(dir, 'data', 'read-models.db'), position: 14, events: 14, failures: [] });
    const rm = await ReadModelDb.open(join(dir, 'data', 'read-models.db'), ALL_PROJECTIONS, { readonly: true });
    expect(rm.db.prepare('SELECT application_id, status FROM cases ORDER BY application_id').all()).toEqual([
      { application_id: 'a1', status: 'disbursed' },
      { application_id: 'a2', status: 'submitted' },
    ]);
    await rm.close();
  });

  it('rebuild --into writes scratch storage that compare finds equal to the live models (exit 0), and different after a change (exit 1)', async () => {
    expect(await cli('rebuild')).toBe(0);
    expect(await cli('rebuild', '--into', 'scratch.db')).toBe(0);
    expect(out[1]).toMatchObject({ rebuiltInto: join(dir, 'scratch.db'), position: 14 });
    expect(await cli('compare', 'scratch.db', 'data/read-models.db')).toBe(0);
    expect(out[2]).toMatchObject({ equal: true, differences: [] });

    const rm = await ReadModelDb.open(join(dir, 'scratch.db'), ALL_PROJECTIONS);
    rm.db.prepare(`UPDATE fund_years SET appropriation_fen = 1`).run();
    await rm.close();
    expect(await cli('compare', 'scratch.db', 'data/read-models.db')).toBe(1);
    expect(out[3]).toMatchObject({
      equal: false,
      differences: [expect.objectContaining({ table: 'fund_years', key: { year: 2019 }, columns: ['appropriation_fen'] })],
    });
  });

  it('status tells how far each projection is behind the log head', async () => {
    expect(await cli('status')).toBe(0);
    expect(out[0]).toMatchObject({
      exists: false,
      logHead: 14,
      projections: expect.arrayContaining([expect.objectContaining({ name: 'cases', position: 0, behind: 14 })]),
    });
    await cli('rebuild');
    await cli('status');
    expect(out[2]).toMatchObject({ exists: true, projections: expect.arrayContaining([expect.objectContaining({ name: 'inbox', position: 14, behind: 0 })]) });
  });

  it('status names a projection stopped at an event (its stream, position, type and the error), with exit 1', async () => {
    const store = openSqliteEventStore({ directory: join(dir, 'data') });
    // An appropriation above today's limit, as a log written before the limits may hold.
    const bad = await new Scenario(store).appendAsStored('fund-2021', 'FundBudgetAllocated', { year: 2021, amountCny: '99999999999999999999999999.99' });
    await store.close();
    expect(await cli('rebuild')).toBe(1);
    expect(await cli('status')).toBe(1);
    expect(out[1]).toMatchObject({
      ok: false,
      logHead: bad,
      projections: expect.arrayContaining([
        expect.objectContaining({ name: 'cases', position: bad, failure: null }),
        expect.objectContaining({
          name: 'fund-status',
          position: bad - 1,
          behind: 1,
          failure: expect.objectContaining({
            globalPosition: bad,
            streamId: 'fund-2021',
            streamVersion: 0,
            eventType: 'FundBudgetAllocated',
            error: expect.stringMatching(/amountCny 99999999999999999999999999\.99 is above what a read model stores exactly/),
          }),
        }),
      ]),
    });
  });

  it('refuses bad input with exit 2 and a message naming it', async () => {
    expect(await cli('rebuild', '--into', 'data/read-models.db')).toBe(2);
    expect(err[0]).toEqual({ error: expect.stringMatching(/--into names the live read models/) });
    expect(await cli('rebuild', '--to', 'x')).toBe(2);
    expect(err[1]).toEqual({ error: expect.stringMatching(/unknown option --to/) });
    expect(await cli('compare', 'only-one.db')).toBe(2);
    expect(await cli('compare', 'a.db', 'b.db')).toBe(2);
    expect(err[3]).toEqual({ error: expect.stringMatching(/no read-model file at .*a\.db/) });
    expect(await cli()).toBe(2);
  });
});

describeOnPostgres('cli projections with DATABASE_URL (the read models in PostgreSQL)', () => {
  let database: TestDatabase;
  const pgCli = (...args: string[]) =>
    runCli([projectionsCommand], ['projections', ...args], { ...io(), env: { CBEC_DATA_DIR: join(dir, 'data'), DATABASE_URL: database.url } });

  beforeAll(async () => {
    database = await createTestDatabase('cli_projections');
    const store = openPostgresEventStore({ connectionString: database.url });
    const s = new Scenario(store);
    await s.allocate(2019, '1000000.00');
    await s.wholeLife('a1', uscc(1), '100000.00');
    await s.submit('a2', 'P1', uscc(2));
    await store.close();
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  }, 60_000);

  it('status, rebuild in place and compare work on the live schema; no read-model file is written to the data folder', async () => {
    expect(await pgCli('status')).toBe(0);
    expect(out[0]).toMatchObject({
      exists: false,
      logHead: 14,
      projections: expect.arrayContaining([expect.objectContaining({ name: 'cases', position: 0 })]),
    });
    expect(await pgCli('rebuild')).toBe(0);
    expect(out[1]).toMatchObject({ rebuilt: expect.stringMatching(/schema read_models$/), position: 14, failures: [] });
    expect(await pgCli('status')).toBe(0);
    expect(out[2]).toMatchObject({ exists: true, projections: expect.arrayContaining([expect.objectContaining({ name: 'inbox', position: 14, behind: 0 })]) });
    expect(existsSync(join(dir, 'data', 'read-models.db'))).toBe(false);

    // The live schema against a SQLite rebuild of the same log: equal; then one row changed in the database.
    expect(await pgCli('rebuild', '--into', 'scratch.db')).toBe(0);
    expect(await pgCli('compare', 'live', 'scratch.db')).toBe(0);
    expect(out[4]).toMatchObject({ equal: true, differences: [] });
    const engine = new PostgresReadModelEngine({ connectionString: database.url });
    try {
      await engine.write((tx) => tx.run(`UPDATE cases SET status = 'returned' WHERE application_id = 'a2'`));
    } finally {
      await engine.close();
    }
    expect(await pgCli('compare', 'live', 'scratch.db')).toBe(1);
    expect(out[5]).toMatchObject({
      equal: false,
      differences: [expect.objectContaining({ table: 'cases', key: { application_id: 'a2' }, columns: ['status'] })],
    });
  });
});
