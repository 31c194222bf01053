import { Client } from 'pg';
import { collect, newEvent } from '../contract/event-store.contract';
import type { RecordedEvent } from '../event-store.port';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../testing/postgres-test-database';
import { PostgresEventStore } from './postgres-event-store';

/**
 * A reader that follows the log the way every subscriber does: "give me what is after the last position
 * I saw", in a tight loop. Against a sequence-numbered table this reader skips an event whose transaction
 * took its number first and committed last; the store's positions must never let it.
 */
async function follow(
  read: (after: number) => Promise<{ id: string; position: number }[]>,
  until: () => boolean | Promise<boolean>,
): Promise<{ id: string; position: number }[]> {
  const seen: { id: string; position: number }[] = [];
  let cursor = 0;
  for (;;) {
    // Asked before the read: a last empty read after the writers finished means nothing is left.
    const finished = await until();
    const page = await read(cursor);
    for (const row of page) {
      seen.push(row);
      cursor = row.position;
    }
    if (finished && page.length === 0) return seen;
  }
}

/** The acknowledged ids a follower never saw. */
function missed(seen: { id: string }[], acknowledged: string[]): string[] {
  const ids = new Set(seen.map((row) => row.id));
  return acknowledged.filter((id) => !ids.has(id));
}

describeOnPostgres('global positions on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('positions');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('the follower check catches the skip of a sequence-numbered table (the failure the store must not have)', async () => {
    // Given a table numbered by a sequence, and transaction A that took number 1 but has not committed
    const a = new Client({ connectionString: database.url });
    const b = new Client({ connectionString: database.url });
    await a.connect();
    await b.connect();
    try {
      await a.query('CREATE TABLE sequenced (position BIGSERIAL PRIMARY KEY, id TEXT NOT NULL)');
      await a.query('BEGIN');
      await a.query(`INSERT INTO sequenced (id) VALUES ('late')`);
      // When B takes number 2 and commits first, a follower reads, and then A commits
      await b.query(`INSERT INTO sequenced (id) VALUES ('early')`);
      const read = async (after: number) =>
        (await b.query<{ id: string; position: string }>('SELECT id, position FROM sequenced WHERE position > $1 ORDER BY position', [after])).rows.map(
          (r) => ({
            id: r.id,
            position: Number(r.position),
          }),
        );
      let reads = 0;
      const seen = await follow(read, async () => {
        reads++;
        // After the follower's first read (it saw 'early'), A commits.
        if (reads === 2) await a.query('COMMIT');
        return reads > 2;
      });
      // Then the follower has passed over 'late' for good
      expect(missed(seen, ['early', 'late'])).toEqual(['late']);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('a follower never misses an event while three servers append concurrently, and positions run 1, 2, 3… in commit order', async () => {
    // Given three stores on one database (three servers), each with 8 concurrent appenders
    const servers = await Promise.all([0, 1, 2].map(() => PostgresEventStore.open({ connectionString: database.url })));
    const reader = await PostgresEventStore.open({ connectionString: database.url, pollIntervalMs: 1 });
    const acknowledged: string[] = [];
    const appends: { ids: string[]; last: number }[] = [];
    let appending = true;
    try {
      const subscribed: RecordedEvent[] = [];
      const subscription = reader.subscribe({ fromCheckpoint: 0, name: 'race' }, (event) => {
        subscribed.push(event);
      });
      // and a follower reading "after my cursor" as fast as it can
      const following = follow(
        async (after) => (await collect(reader.readAll({ fromPosition: after }))).map((e) => ({ id: e.eventId, position: e.globalPosition })),
        () => !appending,
      );
      // When they append 1-3 events at a time, to streams of their own and to shared streams
      await Promise.all(
        servers.flatMap((server, s) =>
          Array.from({ length: 8 }, async (_, a) => {
            for (let i = 0; i < 40; i++) {
              const events = Array.from({ length: 1 + ((a + i) % 3) }, () => newEvent('Raced', { s, a, i }));
              const streamId = i % 4 === 0 ? `shared-${i % 3}` : `server-${s}-appender-${a}`;
              const result = await server.append(streamId, events, { expectedVersion: 'any' });
              acknowledged.push(...events.map((e) => e.eventId));
              appends.push({ ids: events.map((e) => e.eventId), last: result.lastGlobalPosition });
            }
          }),
        ),
      );
      appending = false;
      const seen = await following;
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 10_000;
        const check = () =>
          subscribed.length >= acknowledged.length ? resolve() : Date.now() > deadline ? reject(new Error('subscription lags')) : setTimeout(check, 10);
        check();
      });
      await subscription.stop();

      // Then neither the follower nor the subscription missed an acknowledged event
      expect(missed(seen, acknowledged)).toEqual([]);
      expect(
        missed(
          subscribed.map((e) => ({ id: e.eventId })),
          acknowledged,
        ),
      ).toEqual([]);
      // and the positions are 1..N without a hole or a repeat, seen in that order
      expect(seen.map((row) => row.position)).toEqual(acknowledged.map((_, i) => i + 1));
      expect(subscribed.map((e) => e.globalPosition)).toEqual(acknowledged.map((_, i) => i + 1));
      // and each append's events are consecutive, ending at the position it was acknowledged with
      const positionOf = new Map(seen.map((row) => [row.id, row.position]));
      for (const append of appends) {
        expect(append.ids.map((id) => positionOf.get(id))).toEqual(append.ids.map((_, i) => append.last - append.ids.length + 1 + i));
      }
      // and group commit shared transactions within each server
      const stats = servers.map((server) => server.commitStats);
      expect(stats.some((s) => s.largestBatch > 1)).toBe(true);
      expect((await reader.verify()).ok).toBe(true);
    } finally {
      await Promise.all([...servers, reader].map((store) => store.close()));
    }
  });
});
