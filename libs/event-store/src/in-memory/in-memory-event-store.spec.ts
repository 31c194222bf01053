import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, eventStoreContract, newEvent } from '../contract/event-store.contract';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { verifyEventStore } from '../verify';
import { InMemoryEventLog, InMemoryEventStore } from './in-memory-event-store';

eventStoreContract({
  name: 'in-memory',
  uniquePositions: true,
  tamperSkipReason: 'the in-memory log has no file to edit behind the store; the tamper cases run on SQLite',
  async createLog() {
    const log = new InMemoryEventLog();
    return {
      open: async (options) => new InMemoryEventStore({ log, upcasters: options?.upcasters, logger: options?.logger }),
      verify: (store, streamPrefixes) => verifyEventStore(store, { streamPrefixes }),
      cleanup: async () => undefined,
    };
  },
});

describe('in-memory event store: the same hash chain as SQLite', () => {
  it('gives the same events the same prevHash and hash as the SQLite adapter', async () => {
    // Given the same appends on both adapters
    const directory = mkdtempSync(join(tmpdir(), 'cbec-in-memory-'));
    const sqlite = new SqliteEventStore({ directory });
    const memory = new InMemoryEventStore();
    try {
      const appends = [
        {
          stream: 'application-1',
          events: [newEvent('ApplicationSubmitted', { amountMinor: '1200000', 名称: '六安' }), newEvent('ApplicationRouted', { to: 'COM' }, 2)],
        },
        { stream: 'fund-2026', events: [newEvent('FundAppropriated', { amountMinor: '500000000' })] },
        { stream: 'application-1', events: [newEvent('OpinionGiven', { verdict: 'approve', nested: { b: 1, a: [1.5, null] } })] },
      ];
      for (const { stream, events } of appends) {
        await sqlite.append(stream, events, { expectedVersion: 'any' });
        await memory.append(stream, events, { expectedVersion: 'any' });
      }
      // Then both chains are identical, event by event
      const chain = async (store: SqliteEventStore | InMemoryEventStore) =>
        (await collect(store.readAll())).map((e) => [e.streamId, e.version, e.prevHash, e.hash]);
      expect(await chain(memory)).toEqual(await chain(sqlite));
      expect((await verifyEventStore(memory)).ok).toBe(true);
    } finally {
      await sqlite.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps what it stored when a caller mutates the event it appended or read', async () => {
    const store = new InMemoryEventStore();
    const event = newEvent('ApplicationSubmitted', { amountMinor: '100' });
    await store.append('application-1', [event], { expectedVersion: 'no-stream' });
    (event.data as { amountMinor: string }).amountMinor = '999';
    const [read] = await collect(store.readStream('application-1'));
    (read.data as { amountMinor: string }).amountMinor = '888';
    expect((await collect(store.readStream('application-1')))[0].data).toEqual({ amountMinor: '100' });
  });
});
