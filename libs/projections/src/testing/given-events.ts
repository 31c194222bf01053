import { InMemoryEventStore, type RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from '../runner/projection';
import { ReadModelDb } from '../runner/read-model-db';
import { Scenario } from './scenario';

export interface Given {
  store: InMemoryEventStore;
  scenario: Scenario;
  readModels: ReadModelDb;
  events: RecordedEvent[];
  /** Projects the events appended since (when the spec goes on with `scenario`). */
  catchUp(): Promise<void>;
  /** Rows of a table, ordered by the given SQL clause. */
  rows<T = Record<string, unknown>>(table: string, orderBy?: string): T[];
}

/**
 * given(history).then(rows): runs a scenario through the real deciders into an in-memory store, then
 * projects the whole log into an in-memory read-model database.
 */
export async function given(history: (scenario: Scenario) => Promise<unknown>, projections: readonly Projection[] = ALL_PROJECTIONS): Promise<Given> {
  const store = new InMemoryEventStore();
  const scenario = new Scenario(store);
  await history(scenario);
  const events: RecordedEvent[] = [];
  for await (const e of store.readAll()) events.push(e);
  const readModels = ReadModelDb.open(':memory:', projections);
  const result = readModels.applyBatch(events);
  if (result.failures.length) throw new Error(`projection failed: ${JSON.stringify(result.failures)}`);
  const catchUp = async (): Promise<void> => {
    const more: RecordedEvent[] = [];
    for await (const e of store.readAll({ fromPosition: events.length ? events[events.length - 1].globalPosition : 0 })) more.push(e);
    const r = readModels.applyBatch(more);
    if (r.failures.length) throw new Error(`projection failed: ${JSON.stringify(r.failures)}`);
    events.push(...more);
  };
  return {
    catchUp,
    store,
    scenario,
    readModels,
    events,
    rows: <T>(table: string, orderBy = 'rowid') => readModels.db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).all() as T[],
  };
}
