import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { Scenario, uscc } from '../testing/scenario';
import { compareReadModels } from './compare-read-models';
import { ReadModelDb } from './read-model-db';
import { rebuildInto } from './rebuild';

/**
 * A real crash: the runner runs in a child process that SIGKILLs itself inside a batch's transaction,
 * after its rows and checkpoints are written and before COMMIT. What is left on disk must be exactly the
 * log up to the stored checkpoint, and the next process must finish equal to a rebuild.
 */
const testing = join(__dirname, '..', 'testing');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-projections-crash-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function runChild(file: string, batchSize: number, killAtCommit: number) {
  return spawnSync(
    process.execPath,
    [
      '-r',
      join(__dirname, '../../../event-store/test-support/ts-register.js'),
      join(testing, 'crash-child.ts'),
      dir,
      file,
      String(batchSize),
      String(killAtCommit),
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

describe('projection runner killed with SIGKILL mid-transaction', () => {
  it('leaves the read models exactly at a committed checkpoint, and the next process finishes equal to a rebuild', async () => {
    const store = openSqliteEventStore({ directory: dir });
    const s = new Scenario(store);
    await s.allocate(2019, '5000000.00');
    for (let i = 0; i < 6; i++) await s.wholeLife(`case-${i}`, uscc(i), '40000.00', i % 2 ? 'P2b' : 'P2a');
    await s.submit('open', 'P1', uscc(50));
    const head = await store.headPosition();
    const file = join(dir, 'read-models.db');

    const killed = runChild(file, 5, 3);
    expect({ signal: killed.signal, stderr: killed.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });

    const rm = await ReadModelDb.open(file, ALL_PROJECTIONS);
    const positions = [...(await rm.checkpoints()).values()].map((c) => c.position);
    await rm.close();
    // Two batches committed (ten events when the store delivers them in one page); the third died with its rows.
    const [position] = positions;
    expect(positions).toEqual(ALL_PROJECTIONS.map(() => position));
    expect(position).toBeGreaterThan(0);
    expect(position).toBeLessThanOrEqual(10);
    await rebuildInto(store, join(dir, 'at-crash.db'), { toPosition: position });
    expect(await compareReadModels(file, join(dir, 'at-crash.db'))).toEqual([]);

    const resumed = runChild(file, 5, 0);
    expect({ status: resumed.status, stderr: resumed.stderr }).toEqual({ status: 0, stderr: '' });
    await rebuildInto(store, join(dir, 'at-head.db'));
    expect(await compareReadModels(file, join(dir, 'at-head.db'))).toEqual([]);
    const done = await ReadModelDb.open(file, ALL_PROJECTIONS);
    expect([...(await done.checkpoints()).values()].map((c) => c.position)).toEqual(ALL_PROJECTIONS.map(() => head));
    await done.close();
    await store.close();
  });
});
