import { GENESIS_HASH } from '@cbec/event-store';
import { contractFixture } from '../testing/audit-fixture';
import { checkDigestChain, headsRoot, signDigest, type SignedDigest } from './digest';
import type { DigestLog } from './digest-log';

/**
 * What every DigestLog adapter does. `open` gives a new handle on one fresh, empty log per test (called
 * twice: two writers on one log, as two servers or a server and the CLI); `sql` runs hand-written SQL on it.
 */
export function digestLogContract(
  name: string,
  open: () => Promise<DigestLog> | DigestLog,
  sql: (log: DigestLog, statement: 'update' | 'delete') => Promise<unknown>,
): void {
  describe(`DigestLog contract: ${name}`, () => {
    const { key, handle } = contractFixture(open);

    /** The digest after `last` at `position`, with one stream's head moved. */
    const next = (last: SignedDigest | null, position: number): SignedDigest => {
      const changed = { [`stream-${position}`]: { version: 0, hash: 'a'.repeat(64) } };
      return signDigest(key, {
        seq: (last?.body.seq ?? 0) + 1,
        globalPosition: position,
        streamCount: (last?.body.streamCount ?? 0) + 1,
        headsRoot: headsRoot(last?.body.headsRoot ?? GENESIS_HASH, changed),
        changed,
        prevDigestHash: last?.digestHash ?? GENESIS_HASH,
        createdAt: '2026-12-07T00:00:00.000Z',
        reason: 'interval',
      });
    };

    it('starts empty, chains each digest onto the last, and writes nothing when asked for nothing', async () => {
      const log = await handle();
      expect(await log.last()).toBeNull();
      expect(await log.all()).toEqual([]);
      const first = await log.appendAfter((last) => next(last, 5));
      const second = await log.appendAfter((last) => next(last, 10));
      expect(await log.appendAfter(() => null)).toBeNull();
      expect(await log.all()).toEqual([first, second]);
      expect(await log.last()).toEqual(second);
      expect(second?.body.prevDigestHash).toBe(first?.digestHash);
    });

    it('never chains two digests onto one predecessor, however two writers interleave', async () => {
      const [a, b] = [await handle(), await handle()];
      const seen: Array<number | null> = [];
      const appends = [0, 1, 2, 3, 4, 5].map((i) =>
        (i % 2 ? a : b).appendAfter((last) => {
          seen.push(last?.body.seq ?? null);
          return next(last, (last?.body.globalPosition ?? 0) + 5);
        }),
      );
      await Promise.all(appends);
      const all = await a.all();
      expect(all.map((d) => d.body.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(seen).size).toBe(6); // each append saw a different predecessor
      expect(checkDigestChain(all, key.publicKey).breaks).toEqual([]);
      expect(await b.all()).toEqual(all);
    });

    it('refuses UPDATE and DELETE even to hand-written SQL', async () => {
      const log = await handle();
      await log.appendAfter((last) => next(last, 5));
      await expect(sql(log, 'update')).rejects.toThrow('append-only');
      await expect(sql(log, 'delete')).rejects.toThrow('append-only');
      expect(await log.all()).toHaveLength(1);
    });
  });
}
