import type { KeyObject } from 'node:crypto';
import { leafOf, type LeafFacts, type LeafSource } from './leaf-source';
import { consistencyProof, Frontier, inclusionProof, PackedLeaves, rootOf, verifyConsistency, verifyInclusion } from './merkle';
import { verifyTreeHeadSignature, type SignedTreeHead } from './tree-head';

export type TreeBreakKind =
  /** A tree head kept in the data folder names a root the log's first events no longer give. */
  | 'tree-head-mismatch'
  /** The log holds fewer events than a head states. */
  | 'tree-head-beyond-log'
  /** The latest stored head does not verify with the trusted key. */
  | 'tree-head-signature'
  /** The head held elsewhere does not verify with the trusted key. */
  | 'trusted-head-signature'
  /** The log holds fewer events than the head held elsewhere: its tail was removed. */
  | 'trusted-head-beyond-log'
  /** The consistency proof from the head held elsewhere to today's log fails: history was rewritten. */
  | 'trusted-head-not-extended';

export interface TreeBreak {
  kind: TreeBreakKind;
  treeSize?: number;
  expected?: string;
  found?: string;
  detail: string;
}

export interface TreeReport {
  ok: boolean;
  /** The tree over the whole log now. */
  treeSize: number;
  rootHash: string;
  headsChecked: number;
  latestHead: SignedTreeHead | null;
  trustedHead?: {
    treeSize: number;
    rootHash: string;
    timestamp: string;
    signatureValid: boolean;
    /** RFC 9162 consistency proof from the trusted head to the tree now (hex), when the log is long enough. */
    consistencyProof: string[] | null;
    consistent: boolean;
  };
  breaks: TreeBreak[];
}

/** Every leaf of the log, recomputed from the stored events. */
export async function readLeaves(source: LeafSource): Promise<{ leaves: PackedLeaves; facts: (i: number) => number }> {
  const leaves = new PackedLeaves();
  const positions: number[] = [];
  for await (const f of source.read(0)) {
    leaves.push(leafOf(f));
    positions.push(f.globalPosition);
  }
  return { leaves, facts: (i) => positions[i] };
}

/**
 * Recomputes the tree from the log and checks it against every tree head kept in the data folder
 * (`heads`: each root at its size, the latest one's signature) and, when given, against a head held
 * elsewhere (`trusted`): its signature, and an RFC 9162 consistency proof that today's log extends it.
 * Only the trusted head proves anything against an insider who re-signs the folder's own heads.
 */
export async function checkTree(
  source: LeafSource,
  heads: readonly SignedTreeHead[],
  publicKey: KeyObject | readonly KeyObject[],
  trusted?: SignedTreeHead,
): Promise<TreeReport> {
  // Every key whose signature counts (the trusted one and those linked to it by recorded rotations).
  const keys = Array.isArray(publicKey) ? (publicKey as readonly KeyObject[]) : [publicKey as KeyObject];
  const signedByAccepted = (h: SignedTreeHead): boolean => keys.some((k) => verifyTreeHeadSignature(h, k));
  const breaks: TreeBreak[] = [];
  const bySize = new Map<number, SignedTreeHead[]>();
  for (const h of heads) bySize.set(h.treeSize, [...(bySize.get(h.treeSize) ?? []), h]);
  const leaves = new PackedLeaves();
  const frontier = new Frontier();
  const compare = (): void => {
    for (const h of bySize.get(frontier.size) ?? []) {
      const root = frontier.root().toString('hex');
      if (root !== h.rootHash) {
        breaks.push({
          kind: 'tree-head-mismatch',
          treeSize: h.treeSize,
          expected: h.rootHash,
          found: root,
          detail: `the tree head signed at ${h.timestamp} states the first ${h.treeSize} events have root ${h.rootHash}; the log gives ${root}: an event among them was edited, removed, moved or re-timed`,
        });
      }
    }
  };
  compare();
  for await (const f of source.read(0)) {
    const leaf = leafOf(f as LeafFacts);
    leaves.push(leaf);
    frontier.append(leaf);
    compare();
  }
  const size = frontier.size;
  const root = frontier.root();
  for (const h of heads) {
    if (h.treeSize > size) {
      breaks.push({
        kind: 'tree-head-beyond-log',
        treeSize: h.treeSize,
        expected: String(h.treeSize),
        found: String(size),
        detail: `a tree head states ${h.treeSize} events; the log holds ${size}: its tail was removed`,
      });
    }
  }
  const latest = heads.length ? heads[heads.length - 1] : null;
  if (latest && !signedByAccepted(latest)) {
    breaks.push({
      kind: 'tree-head-signature',
      treeSize: latest.treeSize,
      detail: `the latest tree head (${latest.treeSize} events) does not verify with the trusted public key`,
    });
  }
  let trustedReport: TreeReport['trustedHead'];
  if (trusted) {
    const signatureValid = signedByAccepted(trusted);
    if (!signatureValid) {
      breaks.push({
        kind: 'trusted-head-signature',
        treeSize: trusted.treeSize,
        detail: `the trusted head (${trusted.treeSize} events, ${trusted.timestamp}) does not verify with the trusted public key (key id ${trusted.keyId})`,
      });
    }
    let proof: Buffer[] | null = null;
    let consistent = false;
    if (trusted.treeSize > size) {
      breaks.push({
        kind: 'trusted-head-beyond-log',
        treeSize: trusted.treeSize,
        expected: String(trusted.treeSize),
        found: String(size),
        detail: `the trusted head states ${trusted.treeSize} events; the log holds ${size}: events were removed`,
      });
    } else {
      proof = consistencyProof(leaves, trusted.treeSize, size);
      consistent = verifyConsistency(trusted.treeSize, size, Buffer.from(trusted.rootHash, 'hex'), root, proof);
      if (!consistent) {
        breaks.push({
          kind: 'trusted-head-not-extended',
          treeSize: trusted.treeSize,
          expected: trusted.rootHash,
          found: rootOf(leaves, trusted.treeSize).toString('hex'),
          detail: `today's log does not extend the trusted head: its first ${trusted.treeSize} events give another root than the one signed at ${trusted.timestamp} (an event among them was edited, removed, moved or re-timed)`,
        });
      }
    }
    trustedReport = {
      treeSize: trusted.treeSize,
      rootHash: trusted.rootHash,
      timestamp: trusted.timestamp,
      signatureValid,
      consistencyProof: proof && proof.map((p) => p.toString('hex')),
      consistent,
    };
  }
  return {
    ok: breaks.length === 0,
    treeSize: size,
    rootHash: root.toString('hex'),
    headsChecked: heads.length,
    latestHead: latest,
    ...(trustedReport ? { trustedHead: trustedReport } : {}),
    breaks,
  };
}

export interface InclusionAnswer {
  globalPosition: number;
  leafIndex: number;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  /** RFC 9162 inclusion proof (audit path), hex. */
  proof: string[];
  verified: boolean;
}

/** The inclusion proof of the event at a global position in the tree of the first `treeSize` events (default: all). */
export async function proveInclusion(source: LeafSource, globalPosition: number, treeSize?: number): Promise<InclusionAnswer | null> {
  const { leaves, facts } = await readLeaves(source);
  const size = treeSize ?? leaves.size;
  if (!Number.isSafeInteger(size) || size < 1 || size > leaves.size) throw new RangeError(`the log's tree has ${leaves.size} events; no tree of ${treeSize}`);
  let index = -1;
  for (let i = 0; i < size; i++) {
    if (facts(i) === globalPosition) {
      index = i;
      break;
    }
  }
  if (index < 0) return null;
  const root = rootOf(leaves, size);
  const proof = inclusionProof(leaves, index, size);
  return {
    globalPosition,
    leafIndex: index,
    leafHash: leaves.leaf(index).toString('hex'),
    treeSize: size,
    rootHash: root.toString('hex'),
    proof: proof.map((p) => p.toString('hex')),
    verified: verifyInclusion(leaves.leaf(index), index, size, proof, root),
  };
}
