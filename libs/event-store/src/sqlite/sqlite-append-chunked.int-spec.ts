import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect } from '../contract/event-store.contract';
import { type NewEvent, WrongExpectedVersion } from '../event-store.port';
import { verifyEventStore } from '../verify';
import { SqliteEventStore } from './sqlite-event-store';

const metadata = {
  correlationId: 'c',
  causationId: null,
  commandId: 'cmd',
  actor: { user: 'u', unit: 'CUS', role: 'officer' },
  occurredAt: '2026-01-01T00:00:00.000Z',
  policyVersion: null,
} as unknown as NewEvent['metadata'];
const events = (n: number, tag: string): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({ eventId: randomUUID(), type: 'Staged', data: { tag, i }, metadata }));

describe('SqliteEventStore.appendChunked: one append whose events come in chunks', () => {
  let directory: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cbec-chunked-'));
    store = new SqliteEventStore({ directory });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('stores every chunk as one contiguous append after what the stream holds, with a chain that verifies', async () => {
    await store.append('s', events(2, 'before'), { expectedVersion: 'no-stream' });
    const result = await store.appendChunked('s', [events(3, 'a'), [], events(4, 'b')], { expectedVersion: 1 });
    const stored = await collect(store.readStream('s'));
    expect(stored.map((e) => e.version)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(stored.slice(2).map((e) => (e.data as { tag: string }).tag)).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'b']);
    expect(result).toEqual({ nextExpectedVersion: 8, lastGlobalPosition: stored[8].globalPosition });
    expect(new Set(stored.slice(2).map((e) => e.recordedAt)).size).toBe(1);
    expect(await verifyEventStore(store)).toMatchObject({ ok: true, eventsChecked: 9 });
  });

  it('stores nothing when a chunk throws mid-way, and the stream takes appends as before', async () => {
    function* failing(): Generator<NewEvent[]> {
      yield events(5, 'a');
      throw new Error('refused half-way');
    }
    await expect(store.appendChunked('s', failing(), { expectedVersion: 'no-stream' })).rejects.toThrow('refused half-way');
    expect(await store.headPosition()).toBe(0);
    await expect(store.appendChunked('s', [events(2, 'again')], { expectedVersion: 'no-stream' })).resolves.toMatchObject({ nextExpectedVersion: 1 });
  });

  it('stores nothing when an event is not storable, naming it', async () => {
    const bad = [{ ...events(1, 'x')[0], eventId: 'not-a-uuid' }];
    await expect(store.appendChunked('s', [events(2, 'a'), bad], { expectedVersion: 'no-stream' })).rejects.toThrow('eventId must be a UUID');
    expect(await store.headPosition()).toBe(0);
  });

  it('stores nothing when an event id is in the log already (e.g. the same command again)', async () => {
    const first = events(2, 'a');
    await store.append('other', [first[0]], { expectedVersion: 'no-stream' });
    await expect(store.appendChunked('s', [events(2, 'b'), [first[0]]], { expectedVersion: 'no-stream' })).rejects.toThrow();
    expect(await collect(store.readStream('s'))).toEqual([]);
  });

  it('refuses with WrongExpectedVersion, storing nothing, when the stream is not at the expected version or moves meanwhile', async () => {
    await expect(store.appendChunked('s', [events(1, 'a')], { expectedVersion: 3 })).rejects.toBeInstanceOf(WrongExpectedVersion);
    const other = new SqliteEventStore({ directory });
    try {
      async function* racing(): AsyncGenerator<NewEvent[]> {
        yield events(3, 'a');
        await other.append('s', events(1, 'meanwhile'), { expectedVersion: 'no-stream' });
        yield events(3, 'b');
      }
      await expect(store.appendChunked('s', racing(), { expectedVersion: 'no-stream' })).rejects.toMatchObject({ name: 'WrongExpectedVersion', actual: 0 });
      expect((await collect(store.readStream('s'))).map((e) => (e.data as { tag: string }).tag)).toEqual(['meanwhile']);
    } finally {
      await other.close();
    }
  });

  it('holds no lock on the log while it stages: another connection appends between two chunks at once', async () => {
    // busyTimeoutMs 0: the other connection's append fails at once if the log's write lock is taken.
    const other = new SqliteEventStore({ directory, busyTimeoutMs: 0 });
    try {
      async function* interleaved(): AsyncGenerator<NewEvent[]> {
        yield events(500, 'a');
        await other.append('elsewhere', events(1, 'meanwhile'), { expectedVersion: 'no-stream' });
        yield events(500, 'b');
      }
      await expect(store.appendChunked('s', interleaved(), { expectedVersion: 'no-stream' })).resolves.toMatchObject({ nextExpectedVersion: 999 });
      expect(await collect(store.readStream('elsewhere'))).toHaveLength(1);
      expect(await verifyEventStore(store)).toMatchObject({ ok: true, eventsChecked: 1001 });
    } finally {
      await other.close();
    }
  });

  it('runs two at once one after the other, each whole', async () => {
    async function* slow(tag: string): AsyncGenerator<NewEvent[]> {
      yield events(3, tag);
      await new Promise((resolve) => setTimeout(resolve, 10));
      yield events(3, tag);
    }
    await Promise.all([
      store.appendChunked('x', slow('x'), { expectedVersion: 'no-stream' }),
      store.appendChunked('y', slow('y'), { expectedVersion: 'no-stream' }),
    ]);
    expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['x', 'x', 'x', 'x', 'x', 'x', 'y', 'y', 'y', 'y', 'y', 'y']);
  });

  it('with the writer thread, gathers the chunks into one append', async () => {
    const threaded = new SqliteEventStore({ directory, writer: 'thread' });
    try {
      await expect(threaded.appendChunked('t', [events(2, 'a'), events(2, 'b')], { expectedVersion: 'no-stream' })).resolves.toMatchObject({
        nextExpectedVersion: 3,
      });
      expect(await collect(threaded.readStream('t'))).toHaveLength(4);
    } finally {
      await threaded.close();
    }
  });

  it('leaves nothing in the log when its process is killed while staging', async () => {
    const worker = join(__dirname, '../../test-support/append-worker.js');
    const child = spawn(process.execPath, [worker, 'chunked', directory, 'killed'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('STAGED 3')) child.kill('SIGKILL');
    });
    const signal = await exited;
    if (signal !== 'SIGKILL') throw new Error(`the chunked append ended by itself (${String(signal)}): ${stderr}`);
    expect(await collect(store.readStream('killed'))).toEqual([]);
    expect(await store.headPosition()).toBe(0);
    await expect(store.append('killed', events(1, 'after'), { expectedVersion: 'no-stream' })).resolves.toMatchObject({ nextExpectedVersion: 0 });
  });
});
