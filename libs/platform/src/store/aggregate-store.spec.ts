import { Decider, DomainError } from '@cbec/domain';
import { InMemoryEventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicEventId, deterministicId } from './aggregate-store';
import { VersionConflict } from '../http/errors';

type Add = { type: 'Add'; data: { n: number; max: number } };
type Added = { type: 'Added'; data: { n: number } };
class OverMax extends DomainError {
  readonly code = 'over-max';
  readonly httpStatus = 422;
}
const counter: Decider<Add, Added, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c, s) => {
    if (s.total + c.data.n > c.data.max) throw new OverMax(`total ${s.total} + ${c.data.n} > ${c.data.max}`);
    return c.data.n === 0 ? [] : [{ type: 'Added', data: { n: c.data.n } }];
  },
};
const ctx = (commandId: string): CommandContext => ({
  commandId,
  correlationId: commandId,
  causationId: null,
  actor: { user: 'u1', unit: 'FIN', role: 'head' },
  now: new Date('2020-03-02T08:00:00Z'),
});

describe('AggregateStore', () => {
  let events: InMemoryEventStore;
  let store: AggregateStore;
  beforeEach(() => {
    events = new InMemoryEventStore();
    store = new AggregateStore(events);
  });

  it('appends what the decider decides, with ids derived from the command id and the context as metadata', async () => {
    const result = await store.execute('counter-1', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c1'));
    expect(result).toMatchObject({ state: { total: 2 }, version: 0, position: 1, repeated: false });
    const [stored] = await collect(events.readStream('counter-1'));
    expect(stored.eventId).toBe(deterministicEventId('c1', 0));
    expect(stored.metadata).toMatchObject({ commandId: 'c1', actor: { unit: 'FIN' }, occurredAt: '2020-03-02T08:00:00.000Z' });
  });

  it('answers a repeated command id from the stored events and stores nothing new', async () => {
    await store.execute('counter-1', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c1'));
    await store.execute('counter-1', counter, { type: 'Add', data: { n: 3, max: 10 } }, ctx('c2'));
    const again = await store.execute('counter-1', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c1'));
    expect(again).toMatchObject({ version: 0, position: 1, repeated: true });
    expect((await collect(events.readStream('counter-1'))).length).toBe(2);
  });

  it('refuses a stale If-Match version with the actual version', async () => {
    await store.execute('counter-1', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c1'));
    await expect(store.execute('counter-1', counter, { type: 'Add', data: { n: 1, max: 10 } }, ctx('c2'), { expectedVersion: -1 })).rejects.toMatchObject({
      code: 'version-conflict',
      expectedVersion: -1,
      actualVersion: 0,
    });
  });

  it('decides again on fresh state when a concurrent writer got in first, so an invariant still holds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.execute('counter-1', counter, { type: 'Add', data: { n: 3, max: 10 } }, ctx(`c${i}`), { retries: 20 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(3);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof OverMax)).toBe(true);
    expect((await store.load('counter-1', counter)).state.total).toBe(9);
  });

  it('lands every one of many commands racing on one stream, whatever their number, with the default retries', async () => {
    // Twelve approvals of one year commit on the same fund stream at once: each is a command of its own,
    // not a caller's stale If-Match, so none may come back as a conflict.
    const racing = Array.from({ length: 12 }, (_, i) => store.execute('counter-1', counter, { type: 'Add', data: { n: 1, max: 100 } }, ctx(`c${i}`)));
    const results = await Promise.allSettled(racing);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await store.load('counter-1', counter)).state.total).toBe(12);
  });

  it('reports a conflict that outlasts its retries as a version conflict', async () => {
    // Another writer always gets in between our read and our append.
    let rival = 0;
    const hook = (): void => {
      events.beforeAppend = undefined;
      void events.append('counter-1', [{ eventId: deterministicId('rival', String(rival++)), type: 'Added', data: { n: 0 }, metadata: {} as never }], {
        expectedVersion: 'any',
      });
      events.beforeAppend = hook;
    };
    events.beforeAppend = hook;
    await expect(store.execute('counter-1', counter, { type: 'Add', data: { n: 1, max: 10 } }, ctx('c1'), { retries: 1 })).rejects.toBeInstanceOf(
      VersionConflict,
    );
  });

  it('loads a state without holding every recorded event: the same state as load, only the events asked for', async () => {
    await store.execute('counter-1', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c1'));
    await store.execute('counter-1', counter, { type: 'Add', data: { n: 3, max: 10 } }, ctx('c2'));
    const loaded = await store.load('counter-1', counter);
    const light = await store.loadState('counter-1', counter, (e) => e.metadata.commandId === 'c2');
    expect(light).toMatchObject({ state: { total: 5 }, version: loaded.version, position: loaded.position });
    expect(light.state).toEqual(loaded.state);
    expect(light.events.map((e) => e.eventId)).toEqual([deterministicEventId('c2', 0)]);
  });

  it('appends chunks of decided events as one append, ids running on across chunks', async () => {
    const added = (n: number): Added => ({ type: 'Added', data: { n } });
    await store.appendChunked('counter-2', -1, [[added(1), added(2)], [added(3)]], ctx('c3'));
    const stored = await collect(events.readStream('counter-2'));
    expect(stored.map((e) => [e.version, e.eventId])).toEqual([0, 1, 2].map((i) => [i, deterministicEventId('c3', i)]));
    expect((await store.load('counter-2', counter)).state).toEqual({ total: 6 });
  });

  it('derives stable UUID-shaped ids from their parts', () => {
    expect(deterministicId('a', 'b')).toBe(deterministicId('a', 'b'));
    expect(deterministicId('a', 'b')).not.toBe(deterministicId('ab'));
    expect(deterministicId('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the ids earlier versions derived (a retried command and stored events name them)', () => {
    expect(deterministicId('http-command', 'applicant-1', 'k-1')).toBe('fa1a8e3c-ecaa-566d-91c2-483a607f25ba');
    expect(deterministicId('application', '0f1e2d3c-4b5a-5978-8877-665544332211')).toBe('91b3e64a-9c04-5d60-918e-31219f807233');
    // Every variant digit (8, 9, a, b) comes out as the byte-editing formula gave it.
    const variants = new Set(Array.from({ length: 64 }, (_, i) => deterministicId('v', String(i))[19]));
    expect([...variants].sort()).toEqual(['8', '9', 'a', 'b']);
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('AggregateStore, for a stream expected to be new', () => {
  it('appends without reading, and answers a repeat from the stored events', async () => {
    const events = new InMemoryEventStore();
    const store = new AggregateStore(events);
    const add = { type: 'Add' as const, data: { n: 2, max: 10 } };
    const first = await store.execute('counter-9', counter, add, ctx('c9'), { expectNewStream: true });
    const again = await store.execute('counter-9', counter, add, ctx('c9'), { expectNewStream: true });
    expect(first).toMatchObject({ version: 0, position: 1 });
    // The store itself absorbs the repeated append (idempotent by event id, as every adapter is) and
    // answers the original result; without reading, this path cannot tell it was a repeat.
    expect(again).toMatchObject({ version: 0, position: 1 });
    expect(await events.headPosition()).toBe(1);
  });

  it('decides on the stream as it is when it turns out to exist', async () => {
    const events = new InMemoryEventStore();
    const store = new AggregateStore(events);
    await store.execute('counter-9', counter, { type: 'Add', data: { n: 9, max: 10 } }, ctx('c1'));
    await expect(store.execute('counter-9', counter, { type: 'Add', data: { n: 2, max: 10 } }, ctx('c2'), { expectNewStream: true })).rejects.toBeInstanceOf(
      OverMax,
    );
  });
});
