import { rmSync } from 'node:fs';
import type { SqliteEventStore } from '@cbec/event-store';
import { AuditContext } from '../audit-context';
import { CaseDriver, openTempStore, tempDataDir } from '../testing/audit-fixture';
import { checkDigestChain } from './digest';
import { DigestWriterThread } from './digest-writer-thread';

/** The two ways the server runs the writer: on its own thread (any store), in a thread of its own (SQLite). */
const followers: Array<[string, (ctx: AuditContext, store: SqliteEventStore, dir: string) => { start(): void; stop(): Promise<unknown> }]> = [
  ["on the caller's thread", (ctx) => ctx.digestWriter({ followIntervalMs: 20 })],
  [
    'in a thread of its own',
    (ctx, store, dir) =>
      new DigestWriterThread(
        { eventsFile: store.file, dataDir: dir, every: ctx.digestEvery, clockOffsetMs: 0, followIntervalMs: 20 },
        { log: () => undefined, error: () => undefined },
      ),
  ],
];

describe('the digest writer signs the chain heads every N events and at shutdown', () => {
  it.each(followers)('writes one digest per N events while following the log (%s), one more at stop, chained and verifiable', async (_how, follower) => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir, () => new Date('2026-11-25T12:00:00Z'), 5);
    ctx.signingKey();
    const writer = follower(ctx, store, dir);
    writer.start();
    const driver = new CaseDriver(store);
    await driver.allocate();
    await driver.caseReadyForDecision('a-1'); // 6 more events: 7 in all
    await driver.caseReadyForDecision('a-2'); // 13 in all
    expect(await store.headPosition()).toBe(13);
    const deadline = Date.now() + 5000;
    while ((await ctx.digests().all()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await writer.stop();
    const digests = await ctx.digests().all();
    expect(digests.map((d) => [d.body.reason, d.body.globalPosition])).toEqual([
      ['interval', 5],
      ['interval', 10],
      ['shutdown', 13],
    ]);
    const { breaks, heads } = checkDigestChain(digests, ctx.signingKey().publicKey);
    expect(breaks).toEqual([]);
    expect(heads.get('application-a-2')?.version).toBe(5);
    expect((await ctx.verify()).ok).toBe(true);
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one chain of digests when two servers write into the same folder', async () => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir, () => new Date(), 1000);
    const [first, second] = [ctx.digestWriter(), ctx.digestWriter()];
    const driver = new CaseDriver(store);
    await driver.caseReadyForDecision('a-1');
    await first.catchUp();
    expect((await first.writeNow())?.body.seq).toBe(1);
    await driver.caseReadyForDecision('a-2');
    await second.catchUp();
    expect((await second.writeNow())?.body).toMatchObject({ seq: 2, globalPosition: 12 });
    await driver.allocate();
    await first.catchUp();
    const third = await first.writeNow();
    expect(third?.body).toMatchObject({ seq: 3, globalPosition: 13, changed: { 'fund-2019': { version: 0 } } });
    expect(Object.keys(third!.body.changed)).toEqual(['fund-2019']);
    expect(await second.writeNow()).toBeNull();
    const { breaks } = checkDigestChain(await ctx.digests().all(), ctx.signingKey().publicKey);
    expect(breaks).toEqual([]);
    expect((await ctx.verify()).ok).toBe(true);
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps following after a failed look at the log, and says so meanwhile', async () => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const errors: string[] = [];
    const ctx = new AuditContext(store, dir, () => new Date(), 3);
    // The writer reads the chain links (the SQLite store has them); the first look fails.
    const realRead = store.readChainLinks.bind(store);
    let failNext = true;
    store.readChainLinks = (options) => {
      if (failNext) {
        failNext = false;
        throw new Error('SQLITE_BUSY: database is locked');
      }
      return realRead(options);
    };
    const writer = ctx.digestWriter({ followIntervalMs: 20, logger: { error: (m) => errors.push(m) } });
    await new CaseDriver(store).caseReadyForDecision('a-1');
    writer.start();
    const deadline = Date.now() + 5000;
    while ((await ctx.digests().all()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([expect.stringContaining('SQLITE_BUSY')]);
    expect(writer.subscriptionState).toBe('live');
    expect((await ctx.digests().all()).map((d) => d.body.globalPosition)).toEqual([3, 6]);
    await writer.stop();
    expect(writer.subscriptionState).toBe('stopped');
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
