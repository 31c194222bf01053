import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { PostgresRelayCheckpoint, RelayCheckpoint, type RelayCheckpointStore } from './relay-checkpoint';

/** What every relay checkpoint adapter does. */
function relayCheckpointContract(name: string, open: () => RelayCheckpointStore): void {
  describe(`RelayCheckpointStore contract: ${name}`, () => {
    it('starts at 0, keeps the last position put per relay name, and hands it to another instance', async () => {
      const a = open();
      const b = open();
      try {
        const relay = `kafka:topic-${Math.random()}`;
        expect(await a.get(relay)).toBe(0);
        await a.put(relay, 40);
        await a.put(relay, 1_250);
        await a.put(`${relay}-other`, 7);
        expect(await b.get(relay)).toBe(1_250);
        expect(await b.get(`${relay}-other`)).toBe(7);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}

describe('RelayCheckpoint (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-relay-checkpoint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  relayCheckpointContract('sqlite', () => new RelayCheckpoint(join(dir, 'relay-checkpoint.db')));
});

describeOnPostgres('PostgresRelayCheckpoint', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('relay_checkpoint');
  });
  afterAll(async () => {
    await database?.drop();
  });
  relayCheckpointContract('postgres', () => new PostgresRelayCheckpoint(database.url));
});
