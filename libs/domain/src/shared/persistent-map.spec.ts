import fc from 'fast-check';
import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('answers like a Map after any sequence of sets, and never changes an earlier version', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 300 }), (writes) => {
        const reference = new Map<string, number>();
        const versions: Array<{ map: PersistentMap<number>; expected: Map<string, number> }> = [];
        let map = PersistentMap.empty<number>();
        for (const [key, value] of writes) {
          map = map.set(key, value);
          reference.set(key, value);
          versions.push({ map, expected: new Map(reference) });
        }
        for (const { map: version, expected } of versions) {
          expect(version.size).toBe(expected.size);
          for (const [key, value] of expected) expect(version.get(key)).toBe(value);
          expect(new Map(version.entries())).toEqual(expected);
        }
        expect(map.get('\u0000absent')).toBeUndefined();
      }),
    );
  });

  it('holds thousands of keys, several levels deep', () => {
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) map = map.set(`commitment-${i}`, i);
    expect(map.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(map.get(`commitment-${i}`)).toBe(i);
  });

  it('is deeply equal to a map with the same entries set in another order, and shows as a plain object in JSON', () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    const forward = keys.reduce((m, k) => m.set(k, k.length), PersistentMap.empty<number>());
    const backward = [...keys].reverse().reduce((m, k) => m.set(k, k.length), PersistentMap.empty<number>());
    expect(forward).toEqual(backward);
    expect(JSON.parse(JSON.stringify(PersistentMap.empty<number>().set('b', 2).set('a', 1)))).toEqual({ a: 1, b: 2 });
  });
});
