import type { IdempotencyStore } from './idempotency.store';

/** What every IdempotencyStore adapter does; each adapter's spec calls this with a way to open one. */
export function idempotencyStoreContract(name: string, open: () => Promise<IdempotencyStore> | IdempotencyStore): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    let stores: IdempotencyStore[] = [];
    const opened = async () => {
      const store = await open();
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.map((store) => store.close()));
      stores = [];
    });

    it('answers nothing for a key it never saw, and the remembered answer afterwards', async () => {
      const store = await opened();
      const key = `k-${Math.random()}`;
      expect(await store.find('["fin-officer","FIN","officer",null]', key)).toBeNull();
      await store.remember(
        '["fin-officer","FIN","officer",null]',
        key,
        { fingerprint: 'f1', status: 201, body: { applicationId: 'a', position: 7 } },
        new Date(),
      );
      expect(await store.find('["fin-officer","FIN","officer",null]', key)).toEqual({
        fingerprint: 'f1',
        status: 201,
        body: { applicationId: 'a', position: 7 },
      });
    });

    it('keeps answers per principal: the same key of another caller is another entry', async () => {
      const store = await opened();
      const key = `k-${Math.random()}`;
      await store.remember('["li","FIN","officer",null]', key, { fingerprint: 'f1', status: 201, body: 1 }, new Date());
      expect(await store.find('["li","AUDIT","auditor",null]', key)).toBeNull();
    });

    it('keeps the first answer when two are remembered for one key (concurrent duplicates), across instances', async () => {
      const [a, b] = [await opened(), await opened()];
      const key = `k-${Math.random()}`;
      await Promise.all([
        a.remember('p', key, { fingerprint: 'first', status: 201, body: { n: 1 } }, new Date()),
        b.remember('p', key, { fingerprint: 'second', status: 201, body: { n: 2 } }, new Date()),
      ]);
      await a.remember('p', key, { fingerprint: 'third', status: 201, body: null }, new Date());
      const kept = await b.find('p', key);
      expect(['first', 'second']).toContain(kept?.fingerprint);
      expect(await a.find('p', key)).toEqual(kept);
    });

    it('keeps a null body and an empty one apart from a missing answer', async () => {
      const store = await opened();
      const key = `k-${Math.random()}`;
      await store.remember('p', key, { fingerprint: 'f', status: 204, body: null }, new Date());
      expect(await store.find('p', key)).toEqual({ fingerprint: 'f', status: 204, body: null });
    });
  });
}
