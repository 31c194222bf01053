import { createHash } from 'node:crypto';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  inclusionProof,
  leafHash,
  leavesOf,
  nodeHash,
  PackedLeaves,
  rawLeafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

const hex = (b: Buffer): string => b.toString('hex');
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');

/** The Certificate Transparency reference entries and roots for RFC 6962 trees of 0..8 leaves. */
const CT_ENTRIES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_LEAVES = leavesOf(CT_ENTRIES.map(rawLeafHash));

/** MTH by the RFC's definition, written naively (no shared code with the implementation). */
function naiveRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(naiveRoot(leaves.slice(0, k)))
    .update(naiveRoot(leaves.slice(k)))
    .digest();
}

describe('the Merkle tree over the log (RFC 9162 2.1)', () => {
  it('gives the reference roots of the Certificate Transparency vectors for 0..8 leaves', () => {
    expect(hex(EMPTY_ROOT)).toBe(CT_ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(hex(rootOf(CT_LEAVES, n))).toBe(CT_ROOTS[n]);
  });

  it('gives the reference inclusion proofs', () => {
    expect(inclusionProof(CT_LEAVES, 0, 8).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(CT_LEAVES, 5, 8).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('gives the reference consistency proofs', () => {
    expect(consistencyProof(CT_LEAVES, 2, 8).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(CT_LEAVES, 6, 8).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  describe('for every tree of 1..64 leaves', () => {
    const leaves = Array.from({ length: 64 }, (_, i) =>
      leafHash(createHash('sha256').update(`event ${i}`).digest('hex'), i + 1, `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`),
    );
    const roots = Array.from({ length: 65 }, (_, n) => naiveRoot(leaves.slice(0, n)));
    const all = leavesOf(leaves);

    it('the incremental frontier and the recursive root both equal a naive recomputation', () => {
      const frontier = new Frontier();
      const packed = new PackedLeaves();
      for (let n = 1; n <= 64; n++) {
        frontier.append(leaves[n - 1]);
        packed.push(leaves[n - 1]);
        expect(hex(frontier.root())).toBe(hex(roots[n]));
        expect(hex(rootOf(packed))).toBe(hex(roots[n]));
        // Stored and reloaded, the frontier goes on to the same roots.
        expect(hex(Frontier.fromJSON(frontier.toJSON()).root())).toBe(hex(roots[n]));
        expect(frontier.size).toBe(n);
      }
    });

    it('every inclusion proof verifies, and a proof for another leaf, index or root does not', () => {
      for (let n = 1; n <= 64; n++) {
        for (let i = 0; i < n; i++) {
          const proof = inclusionProof(all, i, n);
          expect(verifyInclusion(leaves[i], i, n, proof, roots[n])).toBe(true);
          expect(verifyInclusion(leaves[(i + 1) % 64], i, n, proof, roots[n])).toBe(false);
          if (n > 1) expect(verifyInclusion(leaves[i], (i + 1) % n, n, proof, roots[n])).toBe(false);
          expect(verifyInclusion(leaves[i], i, n, proof, roots[n === 64 ? 63 : n + 1])).toBe(false);
          if (proof.length) expect(verifyInclusion(leaves[i], i, n, proof.slice(0, -1), roots[n])).toBe(false);
        }
      }
    });

    it('every consistency proof between two sizes verifies, and fails against a changed old or new root', () => {
      for (let n = 1; n <= 64; n++) {
        for (let m = 0; m <= n; m++) {
          const proof = consistencyProof(all, m, n);
          expect(verifyConsistency(m, n, roots[m], roots[n], proof)).toBe(true);
          if (m > 0 && m < n) {
            const otherOld = nodeHash(roots[m], roots[m]);
            expect(verifyConsistency(m, n, otherOld, roots[n], proof)).toBe(false);
            expect(verifyConsistency(m, n, roots[m], otherOld, proof)).toBe(false);
            expect(verifyConsistency(m, n, roots[m], roots[n], proof.slice(0, -1))).toBe(false);
            const flipped = proof.map((p) => Buffer.from(p));
            flipped[0][0] ^= 1;
            expect(verifyConsistency(m, n, roots[m], roots[n], flipped)).toBe(false);
          }
        }
      }
    });
  });

  it('changes the leaf when the event hash, the position or the recorded time changes', () => {
    const h = 'ab'.repeat(32);
    const base = hex(leafHash(h, 7, '2026-01-01T00:00:00.000Z'));
    expect(hex(leafHash('cd'.repeat(32), 7, '2026-01-01T00:00:00.000Z'))).not.toBe(base);
    expect(hex(leafHash(h, 8, '2026-01-01T00:00:00.000Z'))).not.toBe(base);
    expect(hex(leafHash(h, 7, '2026-01-01T00:00:00.001Z'))).not.toBe(base);
  });

  it('refuses proofs for leaves or sizes the tree does not have', () => {
    expect(() => inclusionProof(CT_LEAVES, 8, 8)).toThrow(RangeError);
    expect(() => consistencyProof(CT_LEAVES, 5, 3)).toThrow(RangeError);
    expect(() => rootOf(CT_LEAVES, 9)).toThrow(RangeError);
    expect(verifyConsistency(6, 8, unhex(CT_ROOTS[6]), unhex(CT_ROOTS[8]), [])).toBe(false);
    expect(verifyConsistency(4, 4, unhex(CT_ROOTS[4]), unhex(CT_ROOTS[5]), [])).toBe(false);
  });
});
