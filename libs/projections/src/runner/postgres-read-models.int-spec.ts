import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresEventStore, type PostgresEventStore, type RecordedEvent } from '@cbec/event-store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { ALL_PROJECTIONS } from '../projections';
import { Scenario, uscc } from '../testing/scenario';
import { compareReadModels } from './compare-read-models';
import { LeasedProjector } from './leased-projector';
import { PostgresReadModelEngine, READ_MODELS_SCHEMA } from './postgres-read-model-engine';
import type { Projection } from './projection';
import { ReadModelDb } from './read-model-db';
import { rebuildInto, rebuildReadModels } from './rebuild';

const quiet = { log: () => undefined, error: () => undefined };

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

/**
 * The read models in PostgreSQL (the `read_models` schema of the log's database): the runner's batches
 * commit rows and checkpoints together, the rebuild swaps a copy in, the comparison reads across engines,
 * and the projector runs in one server at a time under its lease.
 */
describeOnPostgres('read models on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dir: string;
  const engines: PostgresReadModelEngine[] = [];
  const engine = (): PostgresReadModelEngine => {
    const e = new PostgresReadModelEngine({ connectionString: database.url, poolSize: 2 });
    engines.push(e);
    return e;
  };
  const events = async (): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    for await (const e of store.readAll()) out.push(e);
    return out;
  };

  beforeAll(async () => {
    database = await createTestDatabase('pg_read_models');
    store = openPostgresEventStore({ connectionString: database.url, pollIntervalMs: 20 });
    dir = mkdtempSync(join(tmpdir(), 'cbec-pg-read-models-'));
    const s = new Scenario(store);
    await s.allocate(2019, '5000000.00');
    await s.wholeLife('c1', uscc(1), '60000.00', 'P2a');
    await s.submit('c2', 'P1', uscc(2));
    await s.accept('c2');
  }, 60_000);
  afterAll(async () => {
    for (const e of engines.splice(0)) await e.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  }, 60_000);

  it('commits each batch with its checkpoints in one transaction: a crash before COMMIT keeps neither rows nor checkpoints', async () => {
    const all = await events();
    const rm = await ReadModelDb.open(engine(), ALL_PROJECTIONS);
    await rm.applyBatch(all.slice(0, 3));
    const cases = async () => (await rm.reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM cases'))!.n;
    const submitted = (upTo: number) => all.slice(0, upTo).filter((e) => e.type === 'ApplicationSubmitted').length;
    expect(await cases()).toBe(submitted(3));
    let inside = -1;
    await expect(
      rm.applyBatch(all.slice(3), {
        beforeCommit: () => {
          inside = 1;
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(inside).toBe(1);
    expect(await cases()).toBe(submitted(3));
    expect([...(await rm.checkpoints()).values()].map((c) => c.position)).toEqual(ALL_PROJECTIONS.map(() => 3));
    // Re-delivered from before the checkpoint: applied once.
    await rm.applyBatch(all);
    expect(await cases()).toBe(2);
    expect([...(await rm.checkpoints()).values()].map((c) => c.position)).toEqual(ALL_PROJECTIONS.map(() => all.length));
    // The tables are the schema's, beside the log's.
    const tables = await rm.reader.all<{ tablename: string }>(
      `SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = ? ORDER BY tablename`,
      READ_MODELS_SCHEMA,
    );
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(['projection_checkpoints', 'projection_failures', 'cases', 'inbox_items', 'fund_years', 'beneficiary_awards']),
    );
  });

  it('stores a failing projection’s failure with its checkpoint, its rows stopping right before the failing event', async () => {
    const all = await events();
    const broken: Projection = {
      name: 'broken',
      version: 1,
      tables: [{ name: 'broken_rows', ddl: 'CREATE TABLE broken_rows (position INTEGER PRIMARY KEY)', key: ['position'] }],
      async apply(event, tx) {
        await tx.run('INSERT INTO broken_rows (position) VALUES (?)', event.globalPosition);
        if (event.type === 'CaseAccepted') throw new Error('bug in the projection');
      },
    };
    const e = new PostgresReadModelEngine({ connectionString: database.url, schema: 'read_models_broken', poolSize: 2 });
    engines.push(e);
    const rm = await ReadModelDb.open(e, [broken]);
    const result = await rm.applyBatch(all);
    const accepted = all.find((x) => x.type === 'CaseAccepted')!;
    expect(result.failures).toEqual([
      expect.objectContaining({ projection: 'broken', globalPosition: accepted.globalPosition, error: 'bug in the projection' }),
    ]);
    expect([...(await rm.failures()).keys()]).toEqual(['broken']);
    expect((await rm.checkpoints()).get('broken')!.position).toBe(accepted.globalPosition - 1);
    const rows = await rm.reader.all<{ position: number }>('SELECT position FROM broken_rows ORDER BY position');
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: accepted.globalPosition - 1 }, (_, i) => i + 1));
  });

  it('rebuilds in place (a copy in a scratch schema, swapped in one transaction) and equals a SQLite rebuild of the same log', async () => {
    const live = engine();
    const result = await rebuildReadModels(store, live);
    expect(result.failures).toEqual([]);
    expect(result.file).toMatch(/schema read_models$/);
    // No scratch schema is left behind.
    const schemas = await live.reader.all<{ nspname: string }>(
      `SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname LIKE 'read_models%' ORDER BY nspname`,
    );
    expect(schemas.map((s) => s.nspname)).toEqual(['read_models', 'read_models_broken']);
    // The same log into a SQLite file: row for row the same read models, money and all.
    const file = join(dir, 'rebuilt.db');
    await rebuildInto(store, file);
    expect(await compareReadModels(live, file)).toEqual([]);
    // And a difference is found: one hand-edited row.
    await live.write((tx) => tx.run(`UPDATE cases SET status = 'returned' WHERE application_id = 'c2'`));
    expect(await compareReadModels(live, file)).toEqual([expect.objectContaining({ table: 'cases', key: { application_id: 'c2' }, columns: ['status'] })]);
    await rebuildReadModels(store, live);
    expect(await compareReadModels(live, file)).toEqual([]);
  });

  it('runs the projector in one server at a time; the other waits for positions on the stored checkpoints and takes over when the holder stops', async () => {
    const [a, b] = [await ReadModelDb.open(engine(), ALL_PROJECTIONS), await ReadModelDb.open(engine(), ALL_PROJECTIONS)];
    const serverA = new LeasedProjector(store, a, { connectionString: database.url, logger: quiet, leaseIntervalMs: 100 });
    const serverB = new LeasedProjector(store, b, { connectionString: database.url, logger: quiet, leaseIntervalMs: 100 });
    serverA.start();
    await until(() => serverA.projecting, 'server A to take the lease', 10_000);
    serverB.start();
    try {
      const s = new Scenario(store, '2020-06-01T00:00:00.000Z');
      const position = await s.submit('c3', 'P1', uscc(3));
      // B does not project, yet its reader waiting for the position is answered once A committed it.
      await serverB.caughtUp(position, { timeoutMs: 10_000 });
      expect(serverB.projecting).toBe(false);
      expect(await b.reader.get(`SELECT status FROM cases WHERE application_id = 'c3'`)).toEqual({ status: 'submitted' });

      await serverA.stop();
      const tookMs = await until(() => serverB.projecting, 'server B to take the lease', 10_000);
      expect(tookMs).toBeLessThan(5_000);
      const next = await s.submit('c4', 'P1', uscc(4));
      await serverB.caughtUp(next, { timeoutMs: 10_000 });
      expect(await b.reader.get(`SELECT status FROM cases WHERE application_id = 'c4'`)).toEqual({ status: 'submitted' });
      // Resumed from the stored checkpoints: every event once, equal to a rebuild.
      const file = join(dir, 'after-takeover.db');
      await rebuildInto(store, file);
      expect(await compareReadModels(b.engine, file)).toEqual([]);
    } finally {
      await serverA.stop();
      await serverB.stop();
    }
  });
});
