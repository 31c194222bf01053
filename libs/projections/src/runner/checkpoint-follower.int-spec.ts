import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@cbec/event-store';
import { ReadModels } from '../read-models';
import { Scenario, uscc } from '../testing/scenario';
import { CheckpointFollower } from './checkpoint-follower';
import { ProjectionFailed, ProjectionsLagging } from './projection-runner';

/**
 * A process that does not follow the log (a cluster worker other than the first) shares read-models.db
 * with one that does: its `caughtUp` answers from the checkpoints the other commits there.
 */
let dir: string;
let store: SqliteEventStore;
let follower: ReadModels;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-checkpoint-follower-'));
  store = openSqliteEventStore({ directory: dir, pollIntervalMs: 10 });
  follower = new ReadModels(store, dir, false);
  await follower.onModuleInit();
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
  expect(follower.store.db.prepare('SELECT count(*) FROM cases').pluck().get()).toBe(0);
});

it('answers a waiting reader once the following process has committed the position, and reports its checkpoints', async () => {
  const s = new Scenario(store);
  await s.allocate(2019, '5000000.00');
  await s.wholeLife('case-1', uscc(1), '60000.00', 'P2a');
  const head = await store.headPosition();
  const waiting = follower.runner.caughtUp(head, { timeoutMs: 10_000 });
  // The following process starts later, on the same folder: its projector thread commits the checkpoints.
  const leader = new ReadModels(store, dir);
  await leader.onModuleInit();
  leader.onApplicationBootstrap();
  try {
    await waiting;
    expect(follower.runner.position).toBe(head);
    expect(follower.runner.status().map((p) => [p.name, p.position, p.failure])).toEqual(leader.runner.status().map((p) => [p.name, head, null]));
    expect(follower.store.db.prepare('SELECT status FROM cases WHERE application_id = ?').pluck().get('case-1')).toBe('disbursed');
  } finally {
    await leader.onModuleDestroy();
  }
});

it("sees the failure the following process stored: a reader waiting past it gets 'projection-failed' at once, and status names the event", async () => {
  const s = new Scenario(store);
  await s.allocate(2019, '5000000.00');
  // An appropriation above today's limit, as a log written before the limits may hold: fund-status cannot store it.
  const bad = await s.appendAsStored('fund-2020', 'FundBudgetAllocated', { year: 2020, amountCny: '99999999999999999999999999.99' });
  await s.submit('case-1', 'P1', uscc(1));
  const head = await store.headPosition();
  const leader = new ReadModels(store, dir);
  await leader.onModuleInit();
  leader.onApplicationBootstrap();
  try {
    await expect(leader.runner.caughtUp(head, { timeoutMs: 10_000 })).rejects.toBeInstanceOf(ProjectionFailed);
    // The follower reads the stored checkpoints and failures again (every second on its own, or when asked).
    await (follower.runner as CheckpointFollower).refresh();
    const failed = follower.runner.status().find((p) => p.failure !== null);
    expect(failed).toEqual({
      name: 'fund-status',
      version: expect.any(Number),
      position: bad - 1,
      failure: expect.objectContaining({
        projection: 'fund-status',
        globalPosition: bad,
        streamId: 'fund-2020',
        streamVersion: 0,
        eventType: 'FundBudgetAllocated',
      }),
    });
    expect(failed!.failure!.error).toMatch(/amountCny 99999999999999999999999999\.99 is above what a read model stores exactly/);
    // The healthy projections serve reads up to the head; a reader past the failed one is refused at once.
    expect(follower.runner.position).toBe(head);
    await expect(follower.runner.caughtUp(bad - 1, { timeoutMs: 60_000 })).resolves.toBeUndefined();
    await expect(follower.runner.caughtUp(head, { timeoutMs: 60_000 })).rejects.toEqual(new ProjectionFailed(failed!.failure!));
  } finally {
    await leader.onModuleDestroy();
  }
});
