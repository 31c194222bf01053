import { Client } from 'pg';
import type { ContractHarness, ContractLog, LogTamper } from '../contract/event-store.contract';
import type { EventStore } from '../event-store.port';
import { canonicalJson } from '../hash-chain';
import { verifyEventStore } from '../verify';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import { dropPostgresAppendOnlyGuards } from './postgres-schema';

/** Edits the table through a connection of its own, as someone with access to the database could. */
export function postgresTamper(url: string): LogTamper {
  const withClient = async (edit: (client: Client) => Promise<void>) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await dropPostgresAppendOnlyGuards(client);
      await edit(client);
    } finally {
      await client.end();
    }
  };
  return {
    editData: (streamId, version, data) =>
      withClient(async (client) => {
        const changed = await client.query('UPDATE events SET data = $1 WHERE stream_id = $2 AND version = $3', [canonicalJson(data), streamId, version]);
        if (changed.rowCount !== 1) throw new Error(`tamper: no event ${streamId}@${version}`);
      }),
    swapVersions: (streamId, a, b) =>
      withClient(async (client) => {
        const move = 'UPDATE events SET version = $1 WHERE stream_id = $2 AND version = $3';
        await client.query('BEGIN');
        await client.query(move, [1_000_000_000, streamId, a]);
        await client.query(move, [a, streamId, b]);
        await client.query(move, [b, streamId, 1_000_000_000]);
        await client.query('COMMIT');
      }),
    deleteEvent: (streamId, version) =>
      withClient(async (client) => {
        await client.query('DELETE FROM events WHERE stream_id = $1 AND version = $2', [streamId, version]);
      }),
  };
}

/**
 * The contract on one database (`url`, created by the spec file): every test writes under its own stream
 * prefix, as the contract requires of a shared server, so the tests need no database each.
 */
export function postgresContractHarness(url: () => string, options: Partial<PostgresEventStoreOptions> = {}): ContractHarness {
  return {
    name: `postgres (group commit ${options.groupCommit ?? 'immediate'})`,
    uniquePositions: true,
    async createLog(): Promise<ContractLog> {
      return {
        open: async (extra) =>
          PostgresEventStore.open({ pollIntervalMs: 20, ...options, connectionString: url(), upcasters: extra?.upcasters, logger: extra?.logger }),
        // Both paths must agree: the port-level walk and the byte-for-byte fast path.
        verify: async (store: EventStore, streamPrefixes: string[]) => {
          const viaPort = await verifyEventStore(store, { streamPrefixes });
          const fast = await (store as PostgresEventStore).verify({ streamPrefixes });
          expect(fast).toEqual(viaPort);
          return viaPort;
        },
        tamper: postgresTamper(url()),
        cleanup: async () => undefined,
      };
    },
  };
}
