/**
 * An immutable string-keyed map with structural sharing (a hash trie, 32 ways per level): `set` returns a
 * new map and copies only the path to the changed entry (O(log32 n)), never the whole map, and never
 * changes the map it was called on. States that keep a growing index (the fund's commitments) use it so
 * folding a stream stays linear while every earlier state stays as it was.
 *
 * The trie's shape depends only on its contents (no deletion, colliding keys kept sorted), so two maps
 * holding the same entries are deeply equal; JSON shows a plain object.
 */
type Leaf<V> = { key: string; hash: number; value: V };
/** Keys whose 32-bit hashes are equal, sorted by key. */
type Bucket<V> = { bucket: Leaf<V>[] };
type Branch<V> = { slots: Array<Slot<V> | undefined> };
type Slot<V> = Leaf<V> | Bucket<V> | Branch<V>;

const BITS = 5;
const WIDTH = 1 << BITS;
/** Levels of 5 bits each; 7 levels use up a 32-bit hash. */
const MAX_LEVEL = 7;

function hashOf(key: string): number {
  // FNV-1a, 32 bits.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const slotIndex = (hash: number, level: number): number => (hash >>> (level * BITS)) & (WIDTH - 1);

function insert<V>(slot: Slot<V> | undefined, leaf: Leaf<V>, level: number): { slot: Slot<V>; added: boolean } {
  if (slot === undefined) return { slot: leaf, added: true };
  if ('slots' in slot) {
    const i = slotIndex(leaf.hash, level);
    const inner = insert(slot.slots[i], leaf, level + 1);
    const slots = slot.slots.slice();
    slots[i] = inner.slot;
    return { slot: { slots }, added: inner.added };
  }
  if ('bucket' in slot) {
    const at = slot.bucket.findIndex((l) => l.key >= leaf.key);
    const bucket = slot.bucket.slice();
    if (at >= 0 && bucket[at].key === leaf.key) {
      bucket[at] = leaf;
      return { slot: { bucket }, added: false };
    }
    bucket.splice(at < 0 ? bucket.length : at, 0, leaf);
    return { slot: { bucket }, added: true };
  }
  if (slot.key === leaf.key) return { slot: leaf, added: false };
  if (level >= MAX_LEVEL) return { slot: { bucket: slot.key < leaf.key ? [slot, leaf] : [leaf, slot] }, added: true };
  // Two keys meet in one slot: push the resident one level down, then place the new one beside it.
  const slots = new Array<Slot<V> | undefined>(WIDTH);
  slots[slotIndex(slot.hash, level)] = slot;
  return insert({ slots }, leaf, level);
}

function* walk<V>(slot: Slot<V> | undefined): Generator<Leaf<V>> {
  if (slot === undefined) return;
  if ('slots' in slot) for (const inner of slot.slots) yield* walk(inner);
  else if ('bucket' in slot) yield* slot.bucket;
  else yield slot;
}

export class PersistentMap<V> {
  private constructor(
    private readonly root: Slot<V> | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(undefined, 0);
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let slot = this.root;
    for (let level = 0; slot !== undefined; level++) {
      if ('slots' in slot) slot = slot.slots[slotIndex(hash, level)];
      else if ('bucket' in slot) return slot.bucket.find((l) => l.key === key)?.value;
      else return slot.key === key ? slot.value : undefined;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A new map with `key` set; this one is unchanged. */
  set(key: string, value: V): PersistentMap<V> {
    const { slot, added } = insert(this.root, { key, hash: hashOf(key), value }, 0);
    return new PersistentMap(slot, this.size + (added ? 1 : 0));
  }

  *entries(): IterableIterator<[string, V]> {
    for (const leaf of walk(this.root)) yield [leaf.key, leaf.value];
  }

  *values(): IterableIterator<V> {
    for (const leaf of walk(this.root)) yield leaf.value;
  }

  /** A plain object, keys in sorted order. */
  toJSON(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const [key, value] of [...this.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
    return out;
  }
}
