import { hash } from 'node:crypto';

/**
 * A Merkle tree over the whole log in global-position order, as RFC 9162 (Certificate Transparency 2.0,
 * section 2.1) defines it: leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || left || right),
 * the tree of n leaves split at the largest power of two below n. Inclusion and consistency proofs are
 * the RFC's PATH and PROOF, checked by its verification algorithms (2.1.3.2, 2.1.4.2).
 */

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const HASH_BYTES = 32;

const sha256 = (data: Buffer): Buffer => hash('sha256', data, 'buffer') as unknown as Buffer;

/** The root of the empty tree: SHA-256 of the empty string (RFC 9162 2.1.1). */
export const EMPTY_ROOT = sha256(Buffer.alloc(0));

/**
 * One event's leaf: its hash (which covers the stream, version, id, type, payload and metadata), its
 * global position and its recorded time. Editing any of them, or moving the event, changes the root.
 * The position is 8 bytes big-endian; the time, the last field, is the stored text in UTF-8.
 */
export function leafHash(eventHashHex: string, globalPosition: number, recordedAt: string): Buffer {
  const position = Buffer.alloc(8);
  position.writeBigUInt64BE(BigInt(globalPosition));
  return rawLeafHash(Buffer.concat([Buffer.from(eventHashHex, 'hex'), position, Buffer.from(recordedAt, 'utf8')]));
}

/** SHA-256(0x00 || entry): the RFC's leaf hash of any entry (the known vectors are of raw entries). */
export function rawLeafHash(entry: Buffer): Buffer {
  return sha256(Buffer.concat([LEAF, entry]));
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.concat([NODE, left, right]));
}

/** The largest power of two strictly below n (n > 1). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The leaf hashes of a tree, by index: an array, or a view on what a reader holds. */
export interface Leaves {
  readonly size: number;
  leaf(index: number): Buffer;
}

export function leavesOf(hashes: readonly Buffer[]): Leaves {
  return { size: hashes.length, leaf: (i) => hashes[i] };
}

/** Leaf hashes packed in one buffer (32 bytes each): a million leaves take 32 MB, not a million objects. */
export class PackedLeaves implements Leaves {
  private buffer = Buffer.alloc(HASH_BYTES * 1024);
  size = 0;

  push(leaf: Buffer): void {
    if ((this.size + 1) * HASH_BYTES > this.buffer.length) {
      const bigger = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(bigger);
      this.buffer = bigger;
    }
    leaf.copy(this.buffer, this.size * HASH_BYTES);
    this.size++;
  }

  leaf(index: number): Buffer {
    return this.buffer.subarray(index * HASH_BYTES, (index + 1) * HASH_BYTES);
  }

  /** The leaves as stored in a bundle: 32 bytes each, in order. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.size * HASH_BYTES);
  }

  static fromBytes(bytes: Buffer): PackedLeaves {
    if (bytes.length % HASH_BYTES !== 0) throw new Error(`${bytes.length} bytes is not a whole number of ${HASH_BYTES}-byte leaves`);
    const leaves = new PackedLeaves();
    leaves.buffer = Buffer.from(bytes);
    leaves.size = bytes.length / HASH_BYTES;
    return leaves;
  }
}

/** MTH(D[from:to]) computed from the leaves (RFC 9162 2.1.1): O(to - from). */
export function subtreeRoot(leaves: Leaves, from: number, to: number): Buffer {
  const n = to - from;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves.leaf(from);
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/** The root of the first `size` leaves. */
export function rootOf(leaves: Leaves, size = leaves.size): Buffer {
  checkSize(leaves, size);
  return subtreeRoot(leaves, 0, size);
}

/** PATH(m, D[n]) of RFC 9162 2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves. */
export function inclusionProof(leaves: Leaves, index: number, size = leaves.size): Buffer[] {
  checkSize(leaves, size);
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
  const path = (m: number, from: number, to: number): Buffer[] => {
    const n = to - from;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k ? [...path(m, from, from + k), subtreeRoot(leaves, from + k, to)] : [...path(m - k, from + k, to), subtreeRoot(leaves, from, from + k)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 2.1.4.1: that the tree of `oldSize` leaves is a prefix of the tree of `newSize`. */
export function consistencyProof(leaves: Leaves, oldSize: number, newSize = leaves.size): Buffer[] {
  checkSize(leaves, newSize);
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize)
    throw new RangeError(`a tree of ${oldSize} leaves cannot be a prefix of one of ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const subproof = (m: number, from: number, to: number, complete: boolean): Buffer[] => {
    const n = to - from;
    if (m === n) return complete ? [] : [subtreeRoot(leaves, from, to)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, from, from + k, complete), subtreeRoot(leaves, from + k, to)]
      : [...subproof(m - k, from + k, to, false), subtreeRoot(leaves, from, from + k)];
  };
  return subproof(oldSize, 0, newSize, true);
}

/** RFC 9162 2.1.3.2: does `proof` show the leaf at `index` in the tree of `size` leaves with `root`? */
export function verifyInclusion(leaf: Buffer, index: number, size: number, proof: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  if (!allHashes([leaf, root, ...proof])) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/**
 * RFC 9162 2.1.4.2: does `proof` show that the tree of `oldSize` leaves with `oldRoot` is a prefix of the
 * tree of `newSize` leaves with `newRoot`? Equal sizes need equal roots and an empty proof; the empty
 * tree is a prefix of every tree.
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Buffer, newRoot: Buffer, proof: readonly Buffer[]): boolean {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (!allHashes([oldRoot, newRoot, ...proof])) return false;
  if (oldSize === 0) return proof.length === 0 && oldRoot.equals(EMPTY_ROOT);
  if (oldSize === newSize) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(oldRoot) && sr.equals(newRoot) && sn === 0;
}

function allHashes(values: readonly unknown[]): boolean {
  return values.every((v) => Buffer.isBuffer(v) && v.length === HASH_BYTES);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function checkSize(leaves: Leaves, size: number): void {
  if (!Number.isInteger(size) || size < 0 || size > leaves.size) throw new RangeError(`the tree has ${leaves.size} leaves, not ${size}`);
}

/** One perfect subtree of the frontier: `leaves` (a power of two) leaves hashing to `hash`. */
export interface FrontierNode {
  leaves: number;
  hash: Buffer;
}

/**
 * The compact range of a growing tree: the roots of its perfect subtrees, largest first (one per set bit
 * of the size). Appending a leaf merges equal neighbours (O(log n) hashes at worst, one on average); the
 * root folds them from the right. This is what the tree-head writer stores instead of the leaves.
 */
export class Frontier {
  private readonly nodes: FrontierNode[];
  private count: number;

  constructor(nodes: readonly FrontierNode[] = []) {
    this.nodes = nodes.map((n) => ({ leaves: n.leaves, hash: Buffer.from(n.hash) }));
    this.count = 0;
    let previous = Infinity;
    for (const n of this.nodes) {
      if (!isPowerOfTwo(n.leaves) || n.leaves >= previous || n.hash.length !== HASH_BYTES)
        throw new Error('not a compact range: perfect subtrees must shrink from left to right');
      previous = n.leaves;
      this.count += n.leaves;
    }
  }

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    this.nodes.push({ leaves: 1, hash: leaf });
    this.count++;
    while (this.nodes.length > 1 && this.nodes[this.nodes.length - 1].leaves === this.nodes[this.nodes.length - 2].leaves) {
      const right = this.nodes.pop()!;
      const left = this.nodes.pop()!;
      this.nodes.push({ leaves: left.leaves * 2, hash: nodeHash(left.hash, right.hash) });
    }
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1].hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i].hash, r);
    return r;
  }

  /** For storage: `[leaves, hex hash]` pairs, largest first. */
  toJSON(): [number, string][] {
    return this.nodes.map((n) => [n.leaves, n.hash.toString('hex')]);
  }

  static fromJSON(pairs: [number, string][]): Frontier {
    if (!Array.isArray(pairs)) throw new Error('a stored frontier must be an array of [leaves, hash] pairs');
    return new Frontier(pairs.map(([leaves, hex]) => ({ leaves, hash: Buffer.from(hex, 'hex') })));
  }
}
