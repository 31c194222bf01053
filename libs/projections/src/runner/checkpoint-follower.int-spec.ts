import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@cbec/event-store';
import { ReadModels } from '../read-models';
import { Scenario, uscc } from '../testing/scenario';
import { CheckpointFollower } from './checkpoint-follower';
import { ProjectionsLagging } from './projection-runner';

/**
 * A process that does not follow the log (a cluster worker other than the first) shares read-models.db
 * with one that does: its `caughtUp` answers from the checkpoints the other commits there.
 */
let dir: string;
let store: SqliteEventStore;
let follower: ReadModels;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-checkpoint-follower-'));
  store = openSqliteEventStore({ directory: dir, pollIntervalMs: 10 });
  follower = new ReadModels(store, dir, false);
  follower.onApplicationBootstrap();
});
afterEach(async () => {
  await follower.onModuleDestroy();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it("projects nothing itself: a reader waiting for a position gets 'projections-lagging' after its timeout", async () => {
  expect(follower.runner).toBeInstanceOf(CheckpointFollower);
  const s = new Scenario(store);
  await s.submit('case-1', 'P1', uscc(1));
  const head = await store.headPosition();
  await expect(follower.runner.caughtUp(head, { timeoutMs: 300 })).rejects.toEqual(new ProjectionsLagging(head, 0));
  expect(follower.db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(0);
});

it('answers a waiting reader once the following process has committed the position, and reports its checkpoints', async () => {
  const s = new Scenario(store);
  await s.allocate(2019, '5000000.00');
  await s.wholeLife('case-1', uscc(1), '60000.00', 'P2a');
  const head = await store.headPosition();
  const waiting = follower.runner.caughtUp(head, { timeoutMs: 10_000 });
  // The following process starts later, on the same folder: its projector thread commits the checkpoints.
  const leader = new ReadModels(store, dir);
  leader.onApplicationBootstrap();
  try {
    await waiting;
    expect(follower.runner.position).toBe(head);
    expect(follower.runner.status().map((p) => [p.name, p.position, p.failure])).toEqual(leader.runner.status().map((p) => [p.name, head, null]));
    expect(follower.db.prepare('SELECT status FROM cases WHERE application_id = ?').pluck().get('case-1')).toBe('disbursed');
  } finally {
    await leader.onModuleDestroy();
  }
});
