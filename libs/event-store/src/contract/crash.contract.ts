/**
 * The crash check every durable adapter passes: a child process appends 3-event batches from 4 concurrent
 * appenders (test-support/append-worker.js `burst`) and is killed with SIGKILL mid-burst; the log, reopened,
 * must hold every acknowledged event, no partial append, and a chain that verifies.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EventStore } from '../event-store.port';
import { verifyEventStore } from '../verify';
import { collect } from './event-store.contract';

const worker = join(__dirname, '../../test-support/append-worker.js');

export interface Ack {
  streamId: string;
  eventIds: string[];
  nextExpectedVersion: number;
  lastGlobalPosition: number;
}

/** Runs a burst of appends in a child process on `target` and SIGKILLs it once `killAfter` appends are acknowledged. */
export async function killMidBurst(target: string, synchronous: 'FULL' | 'NORMAL', killAfter: number): Promise<Ack[]> {
  const child = spawn(process.execPath, [worker, 'burst', target, '4', synchronous], { stdio: 'pipe' });
  const acks: Ack[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('ACK ')) continue;
      acks.push(JSON.parse(line.slice(4)) as Ack);
      if (acks.length === killAfter) child.kill('SIGKILL');
    }
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the burst ended by itself (${String(signal)}): ${stderr}`);
  return acks;
}

/** What must hold of the reopened log after killMidBurst. */
export async function expectIntactAfterCrash(store: EventStore, acks: Ack[]): Promise<void> {
  const stored = await collect(store.readAll());
  const byId = new Map(stored.map((e) => [e.eventId, e]));
  // every acknowledged event is there
  for (const ack of acks) for (const id of ack.eventIds) expect(byId.has(id)).toBe(true);
  // and every append is whole: each stream is a run of complete 3-event batches
  const streams = new Map<string, number[]>();
  for (const e of stored) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e.version]);
  for (const [, versions] of streams) {
    expect(versions.length % 3).toBe(0);
    expect(versions).toEqual(versions.map((_, i) => i));
  }
  const batches = new Map<string, number>();
  for (const e of stored) {
    const key = `${e.streamId}/${Math.floor(e.version / 3)}`;
    batches.set(key, (batches.get(key) ?? 0) + 1);
  }
  expect([...batches.values()].every((n) => n === 3)).toBe(true);
  expect(stored.length).toBeGreaterThanOrEqual(acks.length * 3);
  // and the chain verifies
  const report = await verifyEventStore(store);
  expect(report).toMatchObject({ ok: true, eventsChecked: stored.length });
  // and the store takes appends again at the right versions
  const [first] = acks;
  const last = stored.filter((e) => e.streamId === first.streamId).pop()!;
  await expect(
    store.append(first.streamId, [{ ...stored[0], eventId: '00000000-0000-4000-8000-000000000001' }], { expectedVersion: last.version }),
  ).resolves.toMatchObject({ nextExpectedVersion: last.version + 1 });
}
