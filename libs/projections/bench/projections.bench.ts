import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, openPostgresEventStore, openSqliteEventStore } from '@cbec/event-store';
import { createTestDatabase, type TestDatabase } from '../../event-store/src/testing/postgres-test-database';
import { readInbox } from '../src/inbox/get-inbox/get-inbox.query';
import { listCases } from '../src/cases/list-cases/list-cases.query';
import { ALL_PROJECTIONS } from '../src/projections';
import { compareReadModels } from '../src/runner/compare-read-models';
import { PostgresReadModelEngine } from '../src/runner/postgres-read-model-engine';
import { ProjectionRunner } from '../src/runner/projection-runner';
import type { ReadModelEngine } from '../src/runner/read-model-engine';
import { ReadModelDb } from '../src/runner/read-model-db';
import { rebuildInto, rebuildReadModels } from '../src/runner/rebuild';
import { Scenario, uscc } from '../src/testing/scenario';

/**
 * `npm run bench:projections` (BENCH_CASES=1000): writes a realistic log into a SQLite store in a temp
 * folder, then measures the read side on it: live catch-up from zero, rebuild into scratch storage, in-place
 * rebuild, and the time from an append until the read models show it. Prints a table and, last, one JSON line.
 * `-- --engine postgres`: the log and the read models in a new database on the test server
 * (CBEC_TEST_DATABASE_URL, default the local one), dropped afterwards.
 */
async function main(): Promise<void> {
  const cases = Number(process.env.BENCH_CASES ?? 1000);
  const engineArg = process.argv.indexOf('--engine');
  const onPostgres = engineArg >= 0 && process.argv[engineArg + 1] === 'postgres';
  const dir = mkdtempSync(join(tmpdir(), 'cbec-bench-projections-'));
  const database: TestDatabase | null = onPostgres ? await createTestDatabase('bench_projections') : null;
  const store: EventStore = database
    ? openPostgresEventStore({ connectionString: database.url, pollIntervalMs: 5 })
    : openSqliteEventStore({ directory: dir, synchronous: 'NORMAL', pollIntervalMs: 5 });
  const engines: ReadModelEngine[] = [];
  const pgEngine = (schema: string): ReadModelEngine => {
    const e = new PostgresReadModelEngine({ connectionString: database!.url, schema });
    engines.push(e);
    return e;
  };
  try {
    const s = new Scenario(store);
    await s.allocate(2019, '900000000.00');
    const writeStart = Date.now();
    for (let i = 0; i < cases; i++) {
      const id = `bench-${i}`;
      if (i % 4 === 0) await s.wholeLife(id, uscc(i), '50000.00', 'P2a');
      else {
        await s.submit(id, i % 4 === 1 ? 'P1' : 'P2b', uscc(i));
        await s.accept(id);
        await s.opinion(id, 'COM');
        if (i % 4 === 2) await s.opinion(id, 'CUS', 'reject', 'figures do not match');
      }
    }
    const head = await store.headPosition();
    const writeMs = Date.now() - writeStart;

    const live = database ? pgEngine('read_models') : join(dir, 'read-models.db');
    const rm = await ReadModelDb.open(live, ALL_PROJECTIONS);
    const runner = new ProjectionRunner(store, rm);
    const catchUpStart = Date.now();
    runner.start();
    await runner.caughtUp(head, { timeoutMs: 600_000 });
    const catchUpMs = Date.now() - catchUpStart;
    const { batches } = runner.stats;

    // Append -> visible in every read model, one command at a time, while live.
    const lags: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      const position = await s.submit(`lag-${i}`, 'P1', uscc(cases + i));
      await runner.caughtUp(position, { timeoutMs: 10_000 });
      lags.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    await runner.stop();

    // Reads as the API runs them: the inbox of a cooperating unit (one page) and a page of the case list.
    const timed = async (read: () => Promise<unknown>): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const t0 = process.hrtime.bigint();
        await read();
        out.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return out.sort((a, b) => a - b);
    };
    const inboxItems = (await readInbox(rm.reader, 'CUS', null, 200)).total;
    const inboxReads = await timed(() => readInbox(rm.reader, 'CUS', null, 200));
    const listReads = await timed(() => listCases(rm.reader, { user: 'a', unit: 'AUDIT', role: 'auditor' }, { limit: 50 }));
    if (!database) await rm.close();
    lags.sort((a, b) => a - b);
    const at = (xs: number[], p: number) => Number(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(3));
    const pct = (p: number) => at(lags, p);

    const scratch = database ? pgEngine('read_models_scratch') : join(dir, 'scratch.db');
    const rebuilt = await rebuildInto(store, scratch);
    const inPlace = await rebuildReadModels(store, live);
    const differences = (await compareReadModels(live, scratch)).length;

    const figures = {
      engine: database ? 'postgres' : 'sqlite',
      cases,
      events: rebuilt.events,
      writeEventsPerSecond: Math.round((head * 1000) / writeMs),
      catchUpEventsPerSecond: Math.round((head * 1000) / catchUpMs),
      catchUpBatches: batches,
      rebuildIntoEventsPerSecond: Math.round((rebuilt.events * 1000) / Math.max(1, rebuilt.durationMs)),
      rebuildInPlaceMs: inPlace.durationMs,
      appendToVisibleP50Ms: pct(50),
      appendToVisibleP99Ms: pct(99),
      inboxItemsOfCus: inboxItems,
      inboxReadP50Ms: at(inboxReads, 50),
      inboxReadP99Ms: at(inboxReads, 99),
      caseListPageReadP50Ms: at(listReads, 50),
      caseListPageReadP99Ms: at(listReads, 99),
      differencesLiveVsRebuilt: differences,
    };
    console.log(`| figure | value |\n| --- | --- |`);
    for (const [k, v] of Object.entries(figures)) console.log(`| ${k} | ${v} |`);
    console.log(JSON.stringify(figures));
  } finally {
    for (const e of engines) await e.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
