import { rebuildInto } from '@cbec/projections';
import { Scenario } from '../../../projections/src/testing/scenario';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SqliteEventStore } from '@cbec/event-store';
import { CaseDriver, openTempStore, seedApprovedCase, tempDataDir } from '../testing/audit-fixture';
import { replayCheck } from './replay-check.query';

describe('replay check: the live read models equal a rebuild from the log', () => {
  let dir: string;
  let store: SqliteEventStore;
  let live: string;

  beforeAll(async () => {
    dir = tempDataDir();
    store = openTempStore(dir);
    await seedApprovedCase(new CaseDriver(store), 'a-0001');
    live = join(dir, 'read-models.db');
    // The live file as the running projections would have left it.
    await rebuildInto(store, live);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports no difference when the read models are what the log implies', async () => {
    const report = await replayCheck(store, live);
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.rebuilt.reduce((n, r) => n + r.projections.length, 0)).toBeGreaterThan(2);
  });

  it('reports each row of a live read model edited by hand', async () => {
    const db = new Database(live);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%case%'`).all() as { name: string }[]).map((t) => t.name);
    const table = tables.find((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n > 0)!;
    const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; pk: number }[]).filter(
      (c) => c.pk === 0 && /TEXT/i.test(c.type),
    );
    db.prepare(`UPDATE ${table} SET ${columns[0].name} = 'edited by hand'`).run();
    db.close();
    const report = await replayCheck(store, live);
    expect(report.ok).toBe(false);
    expect(report.differences).toEqual(expect.arrayContaining([expect.objectContaining({ table, columns: expect.arrayContaining([columns[0].name]) })]));
  });

  describe('a projection that cannot apply the log', () => {
    let failing: { dir: string; store: SqliteEventStore; live: string; bad: number };
    beforeAll(async () => {
      const failingDir = tempDataDir();
      const failingStore = openTempStore(failingDir);
      await seedApprovedCase(new CaseDriver(failingStore), 'a-0002');
      // An appropriation above today's limit, as a log written before the limits may hold: the fund
      // projection cannot store it.
      const bad = await new Scenario(failingStore).appendAsStored('fund-2021', 'FundBudgetAllocated', {
        year: 2021,
        amountCny: '99999999999999999999999999.99',
      });
      failing = { dir: failingDir, store: failingStore, live: join(failingDir, 'read-models.db'), bad };
    });
    afterAll(async () => {
      await failing.store.close();
      rmSync(failing.dir, { recursive: true, force: true });
    });

    const expectedFailure = () =>
      expect.objectContaining({
        projection: 'fund-status',
        globalPosition: failing.bad,
        streamId: 'fund-2021',
        streamVersion: 0,
        eventType: 'FundBudgetAllocated',
      });

    it('is reported when the live runner stored its failure: not ok, naming the projection and the event', async () => {
      await rebuildInto(failing.store, failing.live);
      const report = await replayCheck(failing.store, failing.live);
      expect(report.differences).toEqual([]);
      expect(report.failures).toEqual([expectedFailure()]);
      expect(report.ok).toBe(false);
    });

    it('is found by replaying the log beyond the live checkpoints when no failure was stored', async () => {
      // Live read models that stopped before the event (a server stopped there, or one that stored no failures).
      await rebuildInto(failing.store, failing.live, { toPosition: failing.bad - 1 });
      const report = await replayCheck(failing.store, failing.live);
      expect(report.differences).toEqual([]);
      expect(report.failures).toEqual([expectedFailure()]);
      expect(report.ok).toBe(false);
    });
  });
});
