import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, openSqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { Scenario, uscc } from '../testing/scenario';
import { compareReadModels } from './compare-read-models';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDb } from './read-model-db';
import { rebuildInto, rebuildReadModels } from './rebuild';

/**
 * The live runner against the real SQLite event store, crashed and restarted between chunks of a
 * realistic history, must end with read models equal to a rebuild from the log.
 */
let dir: string;
let store: EventStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-projections-int-'));
  // The crash test fails a subscription on purpose: keep the store's own report of it out of the output.
  store = openSqliteEventStore({ directory: dir, pollIntervalMs: 10, logger: { error: () => undefined } });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every kind of case life, numbered from `from`: paid, objected and returned, rejected, overdue, pending. */
async function chunk(s: Scenario, from: number): Promise<void> {
  const id = (k: number) => `case-${from + k}`;
  await s.wholeLife(id(0), uscc(from), '60000.00', 'P2a');
  await s.wholeLife(id(1), uscc(from), '150000.00', 'P2b'); // cut to what remains under 四（二）
  await s.submit(id(2), 'P2a', uscc(from + 2));
  await s.accept(id(2));
  await s.opinion(id(2), 'PBC', 'reject', 'fees not shown');
  await s.returnForCorrection(id(2), 'show the platform fees');
  await s.resubmit(id(2), uscc(from + 2));
  await s.accept(id(2), '2020-04-01');
  await s.submit(id(3), 'P1', uscc(from + 3));
  await s.reject(id(3), 'below threshold');
  await s.submit(id(4), 'P1', uscc(from + 4));
  await s.accept(id(4), '2020-03-16');
  await s.opinion(id(4), 'COM');
  await s.overdue(id(4), 'CUS', 1, '2020-03-17');
  await s.submit(id(5), 'P2a', uscc(from + 5));
  await s.accept(id(5));
  for (const u of ['COM', 'CUS', 'PBC'] as const) await s.opinion(id(5), u);
  await s.approve(id(5), '90000.00', { failAfterReserve: true });
  await s.recordExternalAward(uscc(from + 3), 2019, `LFT-${from}`, '10000.00');
}

async function equalToRebuild(file: string, position?: number): Promise<void> {
  const scratch = join(dir, `rebuilt-${position ?? 'head'}.db`);
  await rebuildInto(store, scratch, { toPosition: position });
  expect(await compareReadModels(file, scratch)).toEqual([]);
}

describe('projection runner on the SQLite event store', () => {
  it('crashed and restarted between chunks, the live read models equal a rebuild from the log', async () => {
    const s = new Scenario(store);
    const file = join(dir, 'read-models.db');
    await s.allocate(2019, '5000000.00');

    // Chunk 1 while the runner is live.
    let rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    let runner = new ProjectionRunner(store, rm, { batchSize: 7 });
    runner.start();
    await chunk(s, 100);
    await runner.caughtUp(await store.headPosition(), { timeoutMs: 5000 });
    await runner.stop({ flush: false });
    await rm.close();
    await equalToRebuild(file, runner.position);

    // Chunk 2 while no runner runs (the process is down).
    await chunk(s, 200);

    // The restarted runner crashes at COMMIT of its third batch, after two committed ones.
    rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    let commits = 0;
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => (crashed = resolve));
    runner = new ProjectionRunner(store, rm, {
      batchSize: 5,
      retryDelayMs: 10_000,
      beforeCommit: () => {
        if (++commits === 3) {
          crashed();
          throw new Error('process killed');
        }
      },
    });
    runner.start();
    await crash;
    await runner.stop({ flush: false });
    await rm.close();
    const atCrash = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const positions = [...(await atCrash.checkpoints()).values()].map((c) => c.position);
    await atCrash.close();
    expect(new Set(positions).size).toBe(1);
    expect(positions[0]).toBeLessThan(await store.headPosition());
    // What survived the crash is exactly the log up to the stored checkpoint: no half batch.
    await equalToRebuild(file, positions[0]);

    // Chunk 3 while the next runner catches up and goes live.
    rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    runner = new ProjectionRunner(store, rm, { batchSize: 5 });
    runner.start();
    await chunk(s, 300);
    const head = await store.headPosition();
    await runner.caughtUp(head, { timeoutMs: 5000 });
    await runner.stop();
    await rm.close();

    await equalToRebuild(file);
    const check = await ReadModelDb.open(file, ALL_PROJECTIONS);
    expect(check.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 18 });
    expect(check.db.prepare(`SELECT status, COUNT(*) AS n FROM cases GROUP BY status ORDER BY status`).all()).toEqual([
      { status: 'disbursed', n: 6 },
      { status: 'ready-for-decision', n: 3 },
      { status: 'rejected', n: 3 },
      { status: 'under-review', n: 6 },
    ]);
    await check.close();
  });

  it('two runners (two connections, as two server instances would have) on one read-models file apply each event once', async () => {
    const s = new Scenario(store);
    const file = join(dir, 'read-models.db');
    const first = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const second = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const runners = [new ProjectionRunner(store, first, { batchSize: 3 }), new ProjectionRunner(store, second, { batchSize: 4 })];
    runners.forEach((r) => r.start());
    for (let i = 0; i < 10; i++) await s.allocate(2019, '100000.00');
    await chunk(s, 100);
    const head = await store.headPosition();
    await Promise.all(runners.map((r) => r.caughtUp(head, { timeoutMs: 5000 })));
    await Promise.all(runners.map((r) => r.stop()));
    // Additive rows show a double application at once: ten allocations of 100,000.00, each counted once.
    expect(first.db.prepare('SELECT appropriation_fen, allocations FROM fund_years').get()).toEqual({ appropriation_fen: 100_000_000, allocations: 10 });
    await first.close();
    await second.close();
    await equalToRebuild(file);
  });

  it('compareReadModels names the rows that differ', async () => {
    const s = new Scenario(store);
    await s.allocate(2019, '5000000.00');
    await chunk(s, 100);
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    await rebuildInto(store, a);
    await rebuildInto(store, b);
    const rm = await ReadModelDb.open(b, ALL_PROJECTIONS);
    rm.db.prepare(`UPDATE cases SET status = 'approved' WHERE application_id = 'case-103'`).run();
    rm.db.prepare(`DELETE FROM inbox_items WHERE application_id = 'case-104' AND unit = 'COM'`).run();
    await rm.close();
    const differences = await compareReadModels(a, b);
    expect(differences).toEqual([
      expect.objectContaining({ table: 'cases', key: { application_id: 'case-103' }, columns: ['status'] }),
      expect.objectContaining({ table: 'inbox_items', key: expect.objectContaining({ unit: 'COM', application_id: 'case-104' }), b: null }),
    ]);
  });

  it('compareReadModels tells apart money columns that differ only above 2^53 fen', async () => {
    const s = new Scenario(store);
    await s.allocate(2019, '5000000.00');
    const a = join(dir, 'a.db');
    const b = join(dir, 'b.db');
    await rebuildInto(store, a);
    await rebuildInto(store, b);
    // 2^53 + 1 and 2^53 + 2 fen: the same JS number (2^53 + 2) when read as numbers.
    for (const [file, fen] of [
      [a, 9_007_199_254_740_993n],
      [b, 9_007_199_254_740_994n],
    ] as const) {
      const rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
      rm.db.prepare('UPDATE fund_years SET appropriation_fen = ? WHERE year = 2019').run(fen);
      await rm.close();
    }
    expect(await compareReadModels(a, b)).toEqual([
      expect.objectContaining({
        table: 'fund_years',
        key: { year: 2019 },
        columns: ['appropriation_fen'],
        a: expect.objectContaining({ appropriation_fen: '9007199254740993' }),
        b: expect.objectContaining({ appropriation_fen: '9007199254740994' }),
      }),
    ]);
  });

  it('an in-place rebuild swaps in equal rows while a runner keeps serving from the file and appends go on', async () => {
    const s = new Scenario(store);
    await s.allocate(2019, '5000000.00');
    await chunk(s, 100);
    const file = join(dir, 'read-models.db');
    const rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm, { batchSize: 5 });
    runner.start();
    await runner.caughtUp(await store.headPosition(), { timeoutMs: 5000 });

    // Appends during the rebuild: the swapped-in copy is brought at least as far as the live runner.
    const [result] = await Promise.all([await rebuildReadModels(store, file, { batchSize: 3 }), chunk(s, 200)]);
    expect(result.failures).toEqual([]);
    expect(result.position).toBeGreaterThan(0);
    const swapped = await ReadModelDb.open(file, ALL_PROJECTIONS);
    for (const cp of (await swapped.checkpoints()).values()) expect(cp.position).toBeGreaterThanOrEqual(result.position);
    await swapped.close();
    await chunk(s, 300);
    await runner.caughtUp(await store.headPosition(), { timeoutMs: 5000 });
    await runner.stop();
    await rm.close();
    await equalToRebuild(file);
  });
});
