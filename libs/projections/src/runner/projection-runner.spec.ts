import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { Scenario, uscc } from '../testing/scenario';
import { compareReadModels } from './compare-read-models';
import type { Projection } from './projection';
import { ProjectionFailed, ProjectionRunner, ProjectionsLagging } from './projection-runner';
import { ReadModelDb } from './read-model-db';
import { SqliteReadModelEngine } from './sqlite-read-model-engine';
import { rebuildInto } from './rebuild';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-projections-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function history(store: InMemoryEventStore, cases = 3): Promise<Scenario> {
  const s = new Scenario(store);
  await s.allocate(2019, '1000000.00');
  for (let i = 1; i <= cases; i++) {
    await s.submit(`c${i}`, 'P2a', uscc(i));
    await s.accept(`c${i}`);
    await s.opinion(`c${i}`, 'COM');
  }
  return s;
}

async function allEvents(store: InMemoryEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}

function dump(rm: ReadModelDb): string {
  return JSON.stringify(rm.projections.flatMap((p) => p.tables.map((t) => rm.db.prepare(`SELECT * FROM ${t.name} ORDER BY ${t.key.join(', ')}`).all())));
}

describe('projection runner', () => {
  it('caughtUp(position) resolves once every projection has applied the log up to that position', async () => {
    const store = new InMemoryEventStore();
    await history(store);
    const head = await store.headPosition();
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm);
    runner.start();
    await runner.caughtUp(head, { timeoutMs: 2000 });
    expect(runner.status().map((s) => s.position)).toEqual(ALL_PROJECTIONS.map(() => head));
    expect(rm.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 3 });

    // Live: an append after catch-up is seen too.
    const position = await new Scenario(store, '2020-05-01T00:00:00.000Z').submit('c9', 'P1', uscc(9));
    await runner.caughtUp(position, { timeoutMs: 2000 });
    expect(rm.db.prepare(`SELECT status FROM cases WHERE application_id = 'c9'`).get()).toEqual({ status: 'submitted' });
    await runner.stop();
    await rm.close();
  });

  it('caughtUp rejects after its timeout when the log never reaches the position', async () => {
    const store = new InMemoryEventStore();
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm);
    runner.start();
    await expect(runner.caughtUp(5, { timeoutMs: 50 })).rejects.toBeInstanceOf(ProjectionsLagging);
    await runner.stop();
    await rm.close();
  });

  it('applies many events per transaction while catching up', async () => {
    const store = new InMemoryEventStore();
    await history(store, 20);
    const head = await store.headPosition();
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm, { batchSize: 25 });
    runner.start();
    await runner.caughtUp(head, { timeoutMs: 2000 });
    await runner.stop();
    expect(runner.stats.events).toBe(head);
    expect(runner.stats.batches).toBeLessThanOrEqual(Math.ceil(head / 25) + 1);
    await rm.close();
  });

  describe('checkpoint in the same transaction as the rows', () => {
    it('re-delivery of already applied events changes nothing', async () => {
      const store = new InMemoryEventStore();
      await history(store);
      const events = await allEvents(store);
      const rm = await ReadModelDb.open(join(dir, 'rm.db'), ALL_PROJECTIONS);
      await rm.applyBatch(events);
      const before = dump(rm);
      const checkpoints = [...(await rm.checkpoints())];

      // The whole log again, then a tail again, as a subscription restarted from an old checkpoint would deliver it.
      await rm.applyBatch(events);
      await rm.applyBatch(events.slice(5));
      for (const e of events) await rm.applyBatch([e]);

      expect(dump(rm)).toBe(before);
      expect([...(await rm.checkpoints())]).toEqual(checkpoints);
      await rm.close();
    });

    it('a crash after the rows are written but before COMMIT keeps neither rows nor checkpoint; the restart applies them once', async () => {
      const store = new InMemoryEventStore();
      await history(store);
      const events = await allEvents(store);
      const file = join(dir, 'rm.db');
      let rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
      await rm.applyBatch(events.slice(0, 4));
      const before = dump(rm);
      const writer = (rm.engine as SqliteReadModelEngine).db;
      await expect(
        rm.applyBatch(events.slice(4), {
          beforeCommit: () => {
            // Inside the transaction everything is written...
            expect(writer.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 3 });
            throw new Error('power cut');
          },
        }),
      ).rejects.toThrow('power cut');
      await rm.close();

      rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
      // ...and after the crash, nothing of it is there: rows and checkpoints are as before the batch.
      expect(dump(rm)).toBe(before);
      expect([...(await rm.checkpoints()).values()].map((c) => c.position)).toEqual(ALL_PROJECTIONS.map(() => 4));
      await rm.applyBatch(events); // the restart re-delivers from the checkpoint (and earlier): applied once
      await rm.close();
      await rebuildInto(store, join(dir, 'rebuilt.db'));
      expect(await compareReadModels(file, join(dir, 'rebuilt.db'))).toEqual([]);
    });

    it("one projection's failure rolls back only its own part; the others go on and caughtUp reports it", async () => {
      const store = new InMemoryEventStore();
      await history(store);
      const head = await store.headPosition();
      const broken: Projection = {
        name: 'broken',
        version: 1,
        tables: [{ name: 'broken_rows', ddl: 'CREATE TABLE broken_rows (position INTEGER PRIMARY KEY)', key: ['position'] }],
        async apply(event, tx) {
          await tx.run('INSERT INTO broken_rows (position) VALUES (?)', event.globalPosition);
          if (event.type === 'CaseAccepted') throw new Error('bug in the projection');
        },
      };
      const rm = await ReadModelDb.open(join(dir, 'rm.db'), [...ALL_PROJECTIONS, broken]);
      const runner = new ProjectionRunner(store, rm, { batchSize: 1 });
      runner.start();
      await expect(runner.caughtUp(head, { timeoutMs: 2000 })).rejects.toBeInstanceOf(ProjectionFailed);
      for (let i = 0; i < 200 && runner.position < head; i++) await new Promise((r) => setTimeout(r, 5));
      await runner.stop();
      const failure = runner.status().find((s) => s.name === 'broken')!;
      const acceptance = (await allEvents(store)).find((e) => e.type === 'CaseAccepted')!;
      expect(failure.failure).toEqual({
        projection: 'broken',
        globalPosition: acceptance.globalPosition,
        streamId: acceptance.streamId,
        streamVersion: acceptance.version,
        eventType: 'CaseAccepted',
        eventId: acceptance.eventId,
        error: 'bug in the projection',
      });
      // Stored beside the checkpoint, for every process that reads the file.
      expect(await rm.failures()).toEqual(new Map([['broken', failure.failure]]));
      // Its rows stop right before the failing event, and so does its checkpoint.
      const rows = rm.db.prepare('SELECT position FROM broken_rows ORDER BY position').all() as Array<{ position: number }>;
      expect(rows.map((r) => r.position)).toEqual(Array.from({ length: failure.failure!.globalPosition - 1 }, (_, i) => i + 1));
      expect((await rm.checkpoints()).get('broken')!.position).toBe(failure.failure!.globalPosition - 1);
      // The healthy projections reached the head.
      expect(runner.position).toBe(head);
      await rm.close();
    });
  });

  it('logs a failing event once, naming the projection, the event, its stream and the error, however many readers wait past it', async () => {
    const store = new InMemoryEventStore();
    await history(store, 1);
    const head = await store.headPosition();
    const broken: Projection = {
      name: 'broken',
      version: 1,
      tables: [],
      async apply(event) {
        if (event.type === 'CaseAccepted') throw new Error('bug in the projection');
      },
    };
    const errors: string[] = [];
    const rm = await ReadModelDb.open(join(dir, 'rm.db'), [...ALL_PROJECTIONS, broken]);
    const runner = new ProjectionRunner(store, rm, { logger: { log: () => undefined, error: (m) => errors.push(m) } });
    runner.start();
    const waits = Array.from({ length: 5 }, () => runner.caughtUp(head, { timeoutMs: 2000 }).catch((e: unknown) => e));
    for (const outcome of await Promise.all(waits)) expect(outcome).toBeInstanceOf(ProjectionFailed);
    // A reader coming later is answered at once, without waiting for its timeout.
    await expect(runner.caughtUp(head, { timeoutMs: 60_000 })).rejects.toThrow(
      /^projection "broken" failed at event \d+ \(CaseAccepted on application-c1, version 1\): bug in the projection$/,
    );
    await runner.stop();
    expect(errors).toEqual([
      expect.stringMatching(/^projection "broken" failed at event \d+ \(CaseAccepted on application-c1, version 1\): bug in the projection$/),
    ]);
    await rm.close();
  });

  it('clears a stored failure once the projection applies past it (fixed), and when its tables are recreated', async () => {
    const store = new InMemoryEventStore();
    await history(store, 1);
    const events = await allEvents(store);
    let fixed = false;
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      tables: [],
      async apply(event) {
        if (!fixed && event.type === 'CaseAccepted') throw new Error('bug in the projection');
      },
    };
    const file = join(dir, 'rm.db');
    let rm = await ReadModelDb.open(file, [flaky]);
    expect((await rm.applyBatch(events)).failures).toHaveLength(1);
    expect([...(await rm.failures()).keys()]).toEqual(['flaky']);
    fixed = true;
    await rm.applyBatch(events);
    expect(await rm.failures()).toEqual(new Map());

    fixed = false;
    await rm.applyBatch([...events, ...events.map((e) => ({ ...e, globalPosition: e.globalPosition + events.length }))]);
    expect([...(await rm.failures()).keys()]).toEqual(['flaky']);
    await rm.close();
    // A new version of the projection starts from 0 with no failure.
    rm = await ReadModelDb.open(file, [{ ...flaky, version: 2 }]);
    expect(await rm.failures()).toEqual(new Map());
    await rm.close();
  });

  it('notices its checkpoints moved back under it (read models reset by another process) and re-applies from there', async () => {
    const store = new InMemoryEventStore();
    const s = await history(store);
    const file = join(dir, 'rm.db');
    const rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm, { retryDelayMs: 10_000 });
    runner.start();
    await runner.caughtUp(await store.headPosition(), { timeoutMs: 2000 });

    const other = await ReadModelDb.open(file, ALL_PROJECTIONS);
    other.db.transaction(() => {
      for (const p of ALL_PROJECTIONS) for (const t of p.tables) other.db.exec(`DELETE FROM ${t.name}`);
      other.db.exec('UPDATE projection_checkpoints SET position = 0');
    })();
    await other.close();

    const position = await s.submit('after-reset', 'P1', uscc(42));
    // Well within the 10 s retry delay: moving back is no fault, the runner resubscribes at once.
    await runner.caughtUp(position, { timeoutMs: 2000 });
    expect(rm.db.prepare('SELECT COUNT(*) AS n FROM cases').get()).toEqual({ n: 4 });
    await runner.stop();
    await rm.close();
    await rebuildInto(store, join(dir, 'rebuilt.db'));
    expect(await compareReadModels(file, join(dir, 'rebuilt.db'))).toEqual([]);
  });

  it('a changed projection version rebuilds that projection from the log on the next start', async () => {
    const store = new InMemoryEventStore();
    await history(store);
    const head = await store.headPosition();
    const file = join(dir, 'rm.db');
    let rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    await rm.applyBatch(await allEvents(store));
    rm.db.prepare(`UPDATE cases SET status = 'tampered'`).run();
    await rm.close();

    const bumped = ALL_PROJECTIONS.map((p) => (p.name === 'cases' ? { ...p, version: p.version + 1 } : p));
    rm = await ReadModelDb.open(file, bumped);
    const casesVersion = ALL_PROJECTIONS.find((p) => p.name === 'cases')!.version;
    expect((await rm.checkpoints()).get('cases')).toEqual({ position: 0, version: casesVersion + 1 });
    expect((await rm.checkpoints()).get('inbox')!.position).toBe(head);
    const runner = new ProjectionRunner(store, rm);
    runner.start();
    await runner.caughtUp(head, { timeoutMs: 2000 });
    await runner.stop();
    expect(rm.db.prepare(`SELECT DISTINCT status FROM cases`).all()).toEqual([{ status: 'under-review' }]);
    await rm.close();
  });
});
