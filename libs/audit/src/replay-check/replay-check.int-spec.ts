import { rebuildInto } from '@cbec/projections';
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
});
