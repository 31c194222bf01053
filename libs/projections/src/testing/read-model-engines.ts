import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { PostgresReadModelEngine } from '../runner/postgres-read-model-engine';
import type { ReadModelEngine } from '../runner/read-model-engine';
import { SqliteReadModelEngine } from '../runner/sqlite-read-model-engine';

/** An engine the read-model specs run on: each `create()` is a new, empty store. */
export interface EngineUnderTest {
  readonly name: 'sqlite' | 'postgres';
  create(): Promise<ReadModelEngine>;
}

/**
 * `describe` twice: once on SQLite (in memory), once on PostgreSQL (a database of its own for the spec
 * file, a fresh schema per store; skipped with a printed reason when no server answers, except under
 * CI=true). The same specs, so both adapters are held to the same answers.
 */
export function describeEachEngine(name: string, body: (engine: EngineUnderTest) => void): void {
  describe(`${name} (SQLite)`, () => {
    const opened: ReadModelEngine[] = [];
    afterAll(async () => {
      for (const e of opened.splice(0)) await e.close();
    });
    body({
      name: 'sqlite',
      create: async () => {
        const engine = new SqliteReadModelEngine(':memory:');
        opened.push(engine);
        return engine;
      },
    });
  });
  describeOnPostgres(`${name} (PostgreSQL)`, () => {
    let database: Promise<TestDatabase> | undefined;
    const opened: ReadModelEngine[] = [];
    let schemas = 0;
    afterAll(async () => {
      for (const e of opened.splice(0)) await e.close();
      if (database) await (await database).drop();
    }, 60_000);
    body({
      name: 'postgres',
      create: async () => {
        database ??= createTestDatabase('read_models');
        const engine = new PostgresReadModelEngine({ connectionString: (await database).url, schema: `read_models_${++schemas}`, poolSize: 2 });
        opened.push(engine);
        return engine;
      },
    });
  });
}
