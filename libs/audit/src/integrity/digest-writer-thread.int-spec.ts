import { rmSync } from 'node:fs';
import { AuditContext } from '../audit-context';
import { CaseDriver, openTempStore, tempDataDir } from '../testing/audit-fixture';
import { DigestWriterThread } from './digest-writer-thread';

/** What only the thread does; what it shares with the writer it runs is in digest-writer.int-spec.ts. */
describe('the digest writer in its own thread (the server on SQLite)', () => {
  jest.setTimeout(30_000);

  it("dates its digests on the app's clock and reports the shutdown digest", async () => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir, () => new Date(), 1000);
    ctx.signingKey();
    const logged: string[] = [];
    // The app's clock runs one day ahead of the system clock: the thread's digests say the app's time.
    const thread = new DigestWriterThread(
      { eventsFile: store.file, dataDir: dir, every: 1000, clockOffsetMs: 86_400_000, followIntervalMs: 20 },
      { log: (m) => logged.push(m), error: (m) => logged.push(`error: ${m}`) },
    );
    thread.start();
    await new CaseDriver(store).caseReadyForDecision('a-1');
    await thread.stop();
    const digests = await ctx.digests().all();
    expect(digests.map((d) => [d.body.reason, d.body.globalPosition])).toEqual([['shutdown', 6]]);
    // The thread also signs tree heads; whether the last one is signed while running or at shutdown depends
    // on its once-a-second pace, so only the digest's line is pinned here (tree heads: tree-head-writer specs).
    expect(logged.filter((m) => !m.startsWith('shutdown tree head'))).toEqual(['shutdown digest 1 at position 6']);
    expect(Date.parse(digests[0].body.createdAt) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes nothing at stop when the last digest covers the log already', async () => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir, () => new Date(), 1000);
    await new CaseDriver(store).caseReadyForDecision('a-1');
    await ctx.digestNow();
    const thread = new DigestWriterThread(
      { eventsFile: store.file, dataDir: dir, every: 1000, clockOffsetMs: 0, followIntervalMs: 20 },
      { log: () => undefined, error: () => undefined },
    );
    thread.start();
    await new Promise((r) => setTimeout(r, 200));
    await thread.stop();
    expect((await ctx.digests().all()).map((d) => d.body.reason)).toEqual(['manual']);
    await ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
