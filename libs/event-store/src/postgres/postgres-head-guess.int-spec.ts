import { collect, newEvent } from '../contract/event-store.contract';
import { WrongExpectedVersion } from '../event-store.port';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../testing/postgres-test-database';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The one-round-trip path appends on the head a store last saw; the database checks that guess inside the
 * transaction. These cases make the guess wrong on purpose: another server wrote meanwhile, or the append is
 * a repeat. The answers must be those of the careful path.
 */
describeOnPostgres('PostgresEventStore appending on the head it last saw', () => {
  let database: TestDatabase;
  let a: PostgresEventStore;
  let b: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase('head_guess');
  });
  beforeEach(async () => {
    [a, b] = await Promise.all([PostgresEventStore.open({ connectionString: database.url }), PostgresEventStore.open({ connectionString: database.url })]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('takes one round trip when the guess holds: a new stream, then the head it wrote or read', async () => {
    // Given a stream server A created and server B read to the end
    await a.append('fund-2019', [newEvent('FundAppropriated', { n: 0 })], { expectedVersion: 'no-stream' });
    await collect(b.readStream('fund-2019'));
    // When each appends on the head it knows
    await a.append('fund-2019', [newEvent('FundCommitted', { n: 1 })], { expectedVersion: 0 });
    await collect(b.readStream('fund-2019'));
    await b.append('fund-2019', [newEvent('FundCommitted', { n: 2 }), newEvent('FundCommitted', { n: 3 })], { expectedVersion: 1 });
    // Then every append went the short way, and the chain is whole
    expect(a.commitStats.fastPath).toBe(2);
    expect(b.commitStats.fastPath).toBe(1);
    expect((await collect(a.readStream('fund-2019'))).map((e) => e.version)).toEqual([0, 1, 2, 3]);
    expect((await a.verify()).ok).toBe(true);
  });

  it('refuses a stale expected version although the store guessed that head: another server wrote meanwhile', async () => {
    // Given A saw the stream at version 0, then B appended version 1
    await a.append('beneficiary-x', [newEvent('AwardReserved', {})], { expectedVersion: 'no-stream' });
    await collect(b.readStream('beneficiary-x'));
    await b.append('beneficiary-x', [newEvent('AwardReserved', {})], { expectedVersion: 0 });
    // When A appends expecting version 0 (its guess), and then with 'any' on its stale guess
    const refused = await a.append('beneficiary-x', [newEvent('AwardReserved', {})], { expectedVersion: 0 }).catch((e: unknown) => e);
    const anyResult = await a.append('beneficiary-x', [newEvent('AwardNoted', {})], { expectedVersion: 'any' });
    // Then the first is a conflict naming version 1, the second lands after B's event, chained to it
    expect(refused).toBeInstanceOf(WrongExpectedVersion);
    expect(refused).toMatchObject({ expected: 0, actual: 1 });
    expect(anyResult.nextExpectedVersion).toBe(2);
    const stream = await collect(a.readStream('beneficiary-x'));
    expect(stream.map((e) => e.type)).toEqual(['AwardReserved', 'AwardReserved', 'AwardNoted']);
    expect(stream[2].prevHash).toBe(stream[1].hash);
    expect((await a.verify()).ok).toBe(true);
  });

  it('answers a repeated append with its original result, on either path', async () => {
    const events = [newEvent('ApplicationSubmitted', {}), newEvent('ApplicationRouted', {})];
    const original = await a.append('application-r', events, { expectedVersion: 'no-stream' });
    // When the same append comes again: to the store that wrote it (its guess is past it), with 'any', and to another
    const again = await a.append('application-r', events, { expectedVersion: 'no-stream' });
    const viaAny = await a.append('application-r', events, { expectedVersion: 'any' });
    const viaOther = await b.append('application-r', events, { expectedVersion: 'no-stream' });
    // Then each gets the original result and nothing is written twice
    expect([again, viaAny, viaOther]).toEqual([original, original, original]);
    expect(await collect(a.readStream('application-r'))).toHaveLength(2);
  });

  it('keeps positions gapless when guesses fail inside a batch of concurrent appends', async () => {
    // Given B knows ten streams' heads, then A appends to half of them
    const streams = Array.from({ length: 10 }, (_, i) => `batch-${i}`);
    await Promise.all(streams.map((s) => b.append(s, [newEvent('Opened', {})], { expectedVersion: 'no-stream' })));
    await Promise.all(streams.filter((_, i) => i % 2 === 0).map((s) => a.append(s, [newEvent('Moved', {})], { expectedVersion: 'any' })));
    // When B appends to all ten at once with 'any' (half of its guesses are stale)
    await Promise.all(streams.map((s) => b.append(s, [newEvent('Closed', {})], { expectedVersion: 'any' })));
    // Then every stream ends with Closed chained to its true predecessor, and positions run without a hole
    for (const [i, s] of streams.entries()) {
      expect((await collect(b.readStream(s))).map((e) => e.type)).toEqual(i % 2 === 0 ? ['Opened', 'Moved', 'Closed'] : ['Opened', 'Closed']);
    }
    const positions = (await collect(b.readChainLinks())).map((link) => link.globalPosition);
    expect(positions).toEqual(positions.map((_, i) => i + 1));
    expect((await b.verify()).ok).toBe(true);
  });

  it('takes an append too large for one statement whole, in chunked INSERTs of one transaction', async () => {
    // Given a known stream head (so only the size keeps the append off the short path)
    await a.append('customs-2019', [newEvent('CustomsBatchImported', { n: -1 })], { expectedVersion: 'no-stream' });
    const before = a.commitStats.fastPath;
    // When 10,000 events are appended at once
    const result = await a.append(
      'customs-2019',
      Array.from({ length: 10_000 }, (_, n) => newEvent('CustomsFigureRecorded', { n })),
      { expectedVersion: 0 },
    );
    // Then all are stored, in order, chained, with consecutive positions
    expect(result.nextExpectedVersion).toBe(10_000);
    expect(a.commitStats.fastPath).toBe(before);
    const stream = await collect(a.readStream('customs-2019'));
    expect(stream).toHaveLength(10_001);
    expect(stream[10_000].globalPosition - stream[1].globalPosition).toBe(9_999);
    expect((await a.verify({ streamPrefixes: ['customs-2019'] })).ok).toBe(true);
  }, 60_000);
});
