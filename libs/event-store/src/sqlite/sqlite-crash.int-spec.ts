import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectIntactAfterCrash, killMidBurst } from '../contract/crash.contract';
import { SqliteEventStore } from './sqlite-event-store';

describe.each(['FULL', 'NORMAL'] as const)('a process killed mid-burst (synchronous=%s)', (synchronous) => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cbec-crash-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('leaves no partial append, keeps every acknowledged event, and a chain that verifies', async () => {
    // Given a child appending 3-event batches from 4 concurrent appenders, killed with SIGKILL
    const acks = await killMidBurst(directory, synchronous, 120);
    // When the store is reopened
    const store = new SqliteEventStore({ directory });
    try {
      // Then every acknowledged event is there, every append whole, the chain intact
      await expectIntactAfterCrash(store, acks);
    } finally {
      await store.close();
    }
  });
});
