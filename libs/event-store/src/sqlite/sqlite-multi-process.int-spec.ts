import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { collect, newEvent } from '../contract/event-store.contract';
import { type RecordedEvent, WrongExpectedVersion } from '../event-store.port';
import { SqliteEventStore } from './sqlite-event-store';

const worker = join(__dirname, '../../test-support/append-worker.js');

/** A child process on the same file; `lines` collects its stdout line by line. */
function startWorker(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [worker, ...args], { stdio: 'pipe' });
  const lines: string[] = [];
  let buffered = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (prefix: string, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.find((l) => l.startsWith(prefix));
      if (line) return line.slice(prefix.length).trim();
      if (Date.now() > deadline) throw new Error(`worker never printed ${prefix}; stderr: ${stderr}`);
      if (child.exitCode !== null && !lines.some((l) => l.startsWith(prefix))) throw new Error(`worker exited ${child.exitCode}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { child, lines, waitFor, exited, stderr: () => stderr };
}

describe('two processes on one SQLite file', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cbec-2proc-'));
    store = new SqliteEventStore({ directory, pollIntervalMs: 25 });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('refuses the other process an append based on a version it read before this process wrote', async () => {
    // Given the child has read the stream at version 0
    await store.append('application-1', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
    const other = startWorker(['stale', directory, 'application-1']);
    expect(await other.waitFor('READ ')).toBe('0');
    // When this process appends first, then lets the child append with what it read
    await store.append('application-1', [newEvent('ApplicationRouted', {})], { expectedVersion: 0 });
    other.child.stdin.write('GO\n');
    // Then the file, not the child's memory, decides
    expect(JSON.parse(await other.waitFor('REFUSED '))).toEqual({ name: 'WrongExpectedVersion', expected: 0, actual: 1 });
    expect(await other.exited).toBe(0);
    expect((await collect(store.readStream('application-1'))).map((e) => e.type)).toEqual(['ApplicationSubmitted', 'ApplicationRouted']);
  });

  it('loses nothing when both processes append to the same streams at once, and subscribers see both', async () => {
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ filter: { streamPrefixes: ['contended-'] } }, (event) => {
      seen.push(event);
    });
    const other = startWorker(['contend', directory, '2', '150']);
    await other.waitFor('READY');
    const mine: string[] = [];
    let myConflicts = 0;
    for (let round = 0; round < 150; round++) {
      const streamId = `contended-${round % 2}`;
      for (;;) {
        const events = await collect(store.readStream(streamId));
        const event = newEvent('Contended', { by: 'parent', round, nonce: randomUUID() });
        try {
          await store.append(streamId, [event], { expectedVersion: events.length === 0 ? 'no-stream' : events.length - 1 });
          mine.push(event.eventId);
          break;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersion)) throw error;
          myConflicts++;
        }
      }
      // Give the other process a chance at the lock between rounds.
      if (round % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const theirs = JSON.parse(await other.waitFor('DONE ')) as { acked: string[]; conflicts: number };
    expect(await other.exited).toBe(0);

    const stored = [...(await collect(store.readStream('contended-0'))), ...(await collect(store.readStream('contended-1')))];
    const ids = stored.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(300);
    expect(new Set(ids)).toEqual(new Set([...mine, ...theirs.acked]));
    for (const streamId of ['contended-0', 'contended-1']) {
      expect(stored.filter((e) => e.streamId === streamId).map((e) => e.version)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    }
    expect((await store.verify()).ok).toBe(true);
    // Live delivery of the other process's appends comes from the poll.
    const deadline = Date.now() + 5000;
    while (seen.length < 300 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(new Set(seen.map((e) => e.eventId))).toEqual(new Set(ids));
    await subscription.stop();
    console.log(`two processes: ${myConflicts} conflicts refused here, ${theirs.conflicts} in the other process, 300 appends kept`);
  });
});
