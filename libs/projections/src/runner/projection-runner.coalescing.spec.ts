import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore, openSqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { Scenario, uscc } from '../testing/scenario';
import { ProjectionRunner } from './projection-runner';
import { ReadModelDb } from './read-model-db';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-projections-coalesce-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('projection runner under load (commits coalesced)', () => {
  it('applies appends made soon after a commit together, in fewer transactions than appends', async () => {
    // given a runner that, once busy, commits at most every 200 ms
    const store = new InMemoryEventStore();
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm, { coalesceMs: 200 });
    runner.start();
    const scenario = new Scenario(store);
    await runner.caughtUp(await scenario.submit('c0', 'P2a', uscc(1)), { timeoutMs: 2000 });
    const before = { ...runner.stats };
    // when ten submissions arrive 15 ms apart, nobody waiting on the read side
    for (let i = 1; i <= 10; i++) {
      await scenario.submit(`c${i}`, 'P2a', uscc(i));
      await new Promise((r) => setTimeout(r, 15));
    }
    await new Promise((r) => setTimeout(r, 500));
    // then all of them are applied and checkpointed, in fewer commits than submissions
    expect(rm.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 11 });
    expect(runner.position).toBe(await store.headPosition());
    expect(runner.stats.events - before.events).toBe(10);
    expect(runner.stats.batches - before.batches).toBeLessThanOrEqual(4);
    await runner.stop();
    await rm.close();
  });

  it('does not make a caller of caughtUp wait out the coalescing delay', async () => {
    // given a runner that, once busy, would wait 10 s between commits
    const store = new InMemoryEventStore();
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm, { coalesceMs: 10_000 });
    runner.start();
    const scenario = new Scenario(store);
    await runner.caughtUp(await scenario.submit('c0', 'P2a', uscc(1)), { timeoutMs: 2000 });
    // when events arrive right after that commit and someone waits for them
    let position = 0;
    for (let i = 1; i <= 3; i++) position = await scenario.submit(`c${i}`, 'P2a', uscc(i));
    // then the read side gets there promptly (caughtUp rejects after 2 s otherwise)
    await runner.caughtUp(position, { timeoutMs: 2000 });
    expect(rm.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 4 });
    await runner.stop();
    await rm.close();
  });

  it('does not make a caller of caughtUp wait for the next announcement of commits made elsewhere', async () => {
    // given a runner on one store of a SQLite file, and appends made through another store of that file
    // (another thread's, in the server), which announces a busy spell's commits only every 10 s and is
    // not polled for 10 s either
    const reader = openSqliteEventStore({ directory: dir, pollIntervalMs: 10_000 });
    const writer = openSqliteEventStore({ directory: dir, announceIntervalMs: 10_000 });
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(reader, rm, { coalesceMs: 0 });
    runner.start();
    try {
      const scenario = new Scenario(writer);
      // the first commit after a quiet spell is announced at once
      await runner.caughtUp(await scenario.submit('c0', 'P2a', uscc(1)), { timeoutMs: 2000 });
      // when more commits follow within the interval and someone waits for them
      let position = 0;
      for (let i = 1; i <= 3; i++) position = await scenario.submit(`c${i}`, 'P2a', uscc(i));
      // then the runner looks at the log itself and gets there promptly (caughtUp rejects after 2 s otherwise)
      await runner.caughtUp(position, { timeoutMs: 2000 });
      expect(rm.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 4 });
    } finally {
      await runner.stop();
      await rm.close();
      await writer.close();
      await reader.close();
    }
  });
});
