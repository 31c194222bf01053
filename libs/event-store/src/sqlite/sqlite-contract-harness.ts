import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContractHarness, ContractLog, LogTamper } from '../contract/event-store.contract';
import type { EventStore } from '../event-store.port';
import { canonicalJson } from '../hash-chain';
import { verifyEventStore } from '../verify';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
import { dropAppendOnlyGuards } from './migrations';

/** Edits the file through a second connection, as someone with access to the disk could. */
export function sqliteTamper(file: string): LogTamper {
  const withDb = async (edit: (db: Database.Database) => void) => {
    const db = new Database(file, { timeout: 5000 });
    try {
      dropAppendOnlyGuards(db);
      edit(db);
    } finally {
      db.close();
    }
  };
  return {
    editData: (streamId, version, data) =>
      withDb((db) => {
        const changed = db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND version = ?').run(canonicalJson(data), streamId, version).changes;
        if (changed !== 1) throw new Error(`tamper: no event ${streamId}@${version}`);
      }),
    swapVersions: (streamId, a, b) =>
      withDb((db) => {
        const move = db.prepare('UPDATE events SET version = ? WHERE stream_id = ? AND version = ?');
        db.transaction(() => {
          move.run(1_000_000_000, streamId, a);
          move.run(a, streamId, b);
          move.run(b, streamId, 1_000_000_000);
        })();
      }),
    deleteEvent: (streamId, version) =>
      withDb((db) => {
        db.prepare('DELETE FROM events WHERE stream_id = ? AND version = ?').run(streamId, version);
      }),
  };
}

export function sqliteContractHarness(options: Partial<SqliteEventStoreOptions> = {}): ContractHarness {
  return {
    name: `sqlite (synchronous=${options.synchronous ?? 'FULL'}, group commit ${options.groupCommit ?? 'immediate'}, writer ${options.writer ?? 'inline'})`,
    uniquePositions: true,
    async createLog(): Promise<ContractLog> {
      const directory = mkdtempSync(join(tmpdir(), 'cbec-event-store-'));
      const file = join(directory, 'events.db');
      return {
        open: async (extra) => new SqliteEventStore({ pollIntervalMs: 20, ...options, directory, upcasters: extra?.upcasters, logger: extra?.logger }),
        // Both paths must agree: the port-level walk and the SQLite fast path.
        verify: async (store: EventStore, streamPrefixes: string[]) => {
          const viaPort = await verifyEventStore(store, { streamPrefixes });
          const fast = await (store as SqliteEventStore).verify({ streamPrefixes });
          expect(fast).toEqual(viaPort);
          return viaPort;
        },
        tamper: sqliteTamper(file),
        cleanup: async () => rmSync(directory, { recursive: true, force: true }),
      };
    },
  };
}
