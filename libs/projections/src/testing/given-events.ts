import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from '../runner/projection';
import type { ReadModelEngine } from '../runner/read-model-engine';
import { ReadModelDb } from '../runner/read-model-db';
import { SqliteReadModelEngine } from '../runner/sqlite-read-model-engine';
import type { EngineUnderTest } from './read-model-engines';
import { Scenario } from './scenario';

export interface Given {
  store: InMemoryEventStore;
  scenario: Scenario;
  readModels: ReadModelDb;
  events: RecordedEvent[];
  /** Projects the events appended since (when the spec goes on with `scenario`). */
  catchUp(): Promise<void>;
  /** Rows of a table, ordered by the given SQL clause (default: the table's key). */
  rows<T = Record<string, unknown>>(table: string, orderBy?: string): Promise<T[]>;
}

/**
 * given(history).then(rows): runs a scenario through the real deciders into an in-memory store, then
 * projects the whole log into a new read-model store of `engine` (default: SQLite in memory).
 */
export async function given(
  history: (scenario: Scenario) => Promise<unknown>,
  projections: readonly Projection[] = ALL_PROJECTIONS,
  engine?: EngineUnderTest,
): Promise<Given> {
  const store = new InMemoryEventStore();
  const scenario = new Scenario(store);
  await history(scenario);
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  const target: ReadModelEngine = engine ? await engine.create() : new SqliteReadModelEngine(':memory:');
  const readModels = await ReadModelDb.open(target, projections);
  const result = await readModels.applyBatch(events);
  if (result.failures.length) throw new Error(`projection failed: ${JSON.stringify(result.failures)}`);
  const catchUp = async (): Promise<void> => {
    const more: RecordedEvent[] = [];
    for await (const e of store.readAll({ fromPosition: events.length ? events[events.length - 1].globalPosition : 0 })) more.push(e);
    const r = await readModels.applyBatch(more);
    if (r.failures.length) throw new Error(`projection failed: ${JSON.stringify(r.failures)}`);
    events.push(...more);
  };
  return {
    catchUp,
    store,
    scenario,
    readModels,
    events,
    rows: <T>(table: string, orderBy?: string) => {
      const key = projections.flatMap((p) => p.tables).find((t) => t.name === table)?.key;
      return readModels.reader.all<T>(`SELECT * FROM ${table} ORDER BY ${orderBy ?? key?.join(', ') ?? '1'}`);
    },
  };
}
