import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@cbec/event-store';
import { ReadModels, readModelsPath } from '../read-models';
import { Scenario, uscc } from '../testing/scenario';
import { compareReadModels } from './compare-read-models';
import { RunnerStopped } from './projection-runner';
import { ProjectorThread } from './projector-thread';
import { rebuildInto } from './rebuild';

/**
 * With a SQLite log, the read side runs in the projector thread: the same runner and exactly-once commits,
 * reported back to this thread, which answers `caughtUp` and serves the queries from the same file.
 */
let dir: string;
let store: SqliteEventStore;
let readModels: ReadModels;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-projector-thread-'));
  store = openSqliteEventStore({ directory: dir, pollIntervalMs: 10 });
  readModels = new ReadModels(store, dir);
  await readModels.onModuleInit();
});
afterEach(async () => {
  await readModels.onModuleDestroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function equalToRebuild(): Promise<void> {
  const scratch = join(dir, 'rebuilt.db');
  rmSync(scratch, { force: true });
  await rebuildInto(store, scratch);
  expect(await compareReadModels(readModelsPath(dir), scratch)).toEqual([]);
}

it('runs in its own thread when the log is a SQLite file; caughtUp resolves once this thread can read the rows', async () => {
  expect(readModels.runner).toBeInstanceOf(ProjectorThread);
  readModels.onApplicationBootstrap();
  const s = new Scenario(store);
  await s.allocate(2019, '5000000.00');
  await s.wholeLife('case-1', uscc(1), '60000.00', 'P2a');
  const head = await store.headPosition();
  await readModels.runner.caughtUp(head, { timeoutMs: 10_000 });
  expect(readModels.runner.position).toBe(head);
  expect(readModels.store.db.prepare('SELECT status FROM cases WHERE application_id = ?').pluck().get('case-1')).toBe('disbursed');
  await equalToRebuild();
});

it('restarts a projector thread that died, resuming from the committed checkpoints without applying anything twice', async () => {
  readModels.onApplicationBootstrap();
  const s = new Scenario(store);
  await s.allocate(2019, '5000000.00');
  await s.wholeLife('case-1', uscc(1), '60000.00', 'P2a');
  await readModels.runner.caughtUp(await store.headPosition(), { timeoutMs: 10_000 });
  // The thread dies as an uncaught error would end it.
  await (readModels.runner as unknown as { thread: { worker: { terminate(): Promise<number> } } }).thread.worker.terminate();
  await s.wholeLife('case-2', uscc(2), '150000.00', 'P2b');
  await s.submit('case-3', 'P1', uscc(3));
  await readModels.runner.caughtUp(await store.headPosition(), { timeoutMs: 10_000 });
  await equalToRebuild();
});

it('stopping rejects the reads still waiting for a position, as the in-thread runner does', async () => {
  readModels.onApplicationBootstrap();
  const waiting = readModels.runner.caughtUp(1_000_000);
  await readModels.onModuleDestroy();
  await expect(waiting).rejects.toBeInstanceOf(RunnerStopped);
});
