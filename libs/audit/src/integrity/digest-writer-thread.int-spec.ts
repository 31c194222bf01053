import { rmSync } from 'node:fs';
import { AuditContext } from '../audit-context';
import { CaseDriver, openTempStore, tempDataDir } from '../testing/audit-fixture';
import { checkDigestChain } from './digest';
import { DigestWriterThread } from './digest-writer-thread';

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the digest writer in its own thread (the server on SQLite)', () => {
  jest.setTimeout(30_000);

  it('signs a digest every N events of what other connections append, and one more at stop, on the app clock', async () => {
    const dir = tempDataDir();
    const store = openTempStore(dir);
    const ctx = new AuditContext(store, dir, () => new Date(), 5);
    ctx.signingKey();
    const logged: string[] = [];
    // The app's clock runs one day ahead of the system clock: the thread's digests say the app's time.
    const thread = new DigestWriterThread(
      { eventsFile: store.file, dataDir: dir, every: 5, clockOffsetMs: 86_400_000, followIntervalMs: 20 },
      { log: (m) => logged.push(m), error: (m) => logged.push(`error: ${m}`) },
    );
    thread.start();
    const driver = new CaseDriver(store);
    await driver.allocate();
    await driver.caseReadyForDecision('a-1'); // 7 events in all
    await driver.caseReadyForDecision('a-2'); // 13
    await until('two interval digests', () => ctx.digests().all().length >= 2);
    await thread.stop();

    const digests = ctx.digests().all();
    expect(digests.map((d) => [d.body.reason, d.body.globalPosition])).toEqual([
      ['interval', 5],
      ['interval', 10],
      ['shutdown', 13],
    ]);
    expect(logged).toEqual(['shutdown digest 3 at position 13']);
    for (const d of digests) expect(Date.parse(d.body.createdAt) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    const { breaks, heads } = checkDigestChain(digests, ctx.signingKey().publicKey);
    expect(breaks).toEqual([]);
    expect(heads.get('application-a-2')?.version).toBe(5);
    expect((await ctx.verify()).ok).toBe(true);
    ctx.close();
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
    expect(
      ctx
        .digests()
        .all()
        .map((d) => d.body.reason),
    ).toEqual(['manual']);
    ctx.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
