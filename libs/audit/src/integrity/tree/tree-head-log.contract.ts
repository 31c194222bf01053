import { contractFixture } from '../../testing/audit-fixture';
import { Frontier, leafHash } from './merkle';
import { signTreeHead } from './tree-head';
import type { TreeHeadLog, TreeState } from './tree-head-log';

/**
 * What every TreeHeadLog adapter does. `open` gives a new handle on one fresh, empty log per test (called
 * twice: two writers on one log); `sql` runs hand-written SQL on it.
 */
export function treeHeadLogContract(
  name: string,
  open: () => Promise<TreeHeadLog> | TreeHeadLog,
  sql: (log: TreeHeadLog, statement: 'update' | 'delete') => Promise<unknown>,
): void {
  describe(`TreeHeadLog contract: ${name}`, () => {
    const { key, handle } = contractFixture(open);

    /** The state of a tree over `size` made-up events, its head signed. */
    const stateAt = (size: number): TreeState => {
      const frontier = new Frontier();
      let lastEventHash = '';
      for (let position = 1; position <= size; position++) {
        lastEventHash = position.toString(16).padStart(64, '0');
        frontier.append(leafHash(lastEventHash, position, '2026-12-07T00:00:00.000Z'));
      }
      const head = signTreeHead(key, { treeSize: size, rootHash: frontier.root().toString('hex'), timestamp: `2026-12-07T00:00:0${size % 10}.000Z` });
      return { head, frontier: frontier.toJSON(), lastPosition: size, lastEventHash };
    };

    it('starts empty, keeps heads oldest first, and the last one with the frontier to go on from', async () => {
      const log = await handle();
      expect(await log.last()).toBeNull();
      expect(await log.heads()).toEqual([]);
      const [three, five] = [stateAt(3), stateAt(5)];
      expect(await log.append(three)).toBe(true);
      expect(await log.append(five)).toBe(true);
      expect(await log.heads()).toEqual([three.head, five.head]);
      expect(await log.last()).toEqual(five);
      expect(
        Frontier.fromJSON((await log.last())!.frontier)
          .root()
          .toString('hex'),
      ).toBe(five.head.rootHash);
    });

    it('writes no head that is not larger than the last, whichever writer signed it', async () => {
      const [a, b] = [await handle(), await handle()];
      expect(await a.append(stateAt(0))).toBe(true); // an empty log's head
      expect(await a.append(stateAt(4))).toBe(true);
      expect(await b.append(stateAt(4))).toBe(false); // a second head of the same size
      expect(await b.append(stateAt(2))).toBe(false); // a stale writer's smaller head
      const racing = await Promise.all([6, 7, 6, 8].map((size, i) => (i % 2 ? a : b).append(stateAt(size))));
      const sizes = (await b.heads()).map((h) => h.treeSize);
      expect(sizes.slice(0, 2)).toEqual([0, 4]);
      // However the four raced, the sizes stored only grow, and each append that said so is stored.
      expect([...sizes].sort((x, y) => x - y)).toEqual(sizes);
      expect(new Set(sizes).size).toBe(sizes.length);
      expect(sizes.length - 2).toBe(racing.filter(Boolean).length);
      expect(sizes.at(-1)).toBe(8);
    });

    it('refuses UPDATE and DELETE even to hand-written SQL', async () => {
      const log = await handle();
      await log.append(stateAt(1));
      await expect(sql(log, 'update')).rejects.toThrow('append-only');
      await expect(sql(log, 'delete')).rejects.toThrow('append-only');
      expect(await log.heads()).toHaveLength(1);
    });
  });
}
