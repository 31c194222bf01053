import { ChainVerifier, computeEventHash, metadataForHash, sha256Hex, type ChainIssue } from '@cbec/event-store';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkDigestChain, type SignedDigest } from '../integrity/digest';
import { publicKeyFromPem, verifySignature } from '../integrity/signing-key';
import { BUNDLE_FILES, BUNDLE_FORMAT, type BundleEvent, type BundleManifest, type BundleTree } from './bundle-format';
import { consistencyProof, leafHash, PackedLeaves, rootOf, verifyConsistency } from '../integrity/tree/merkle';
import { treeHeadProblem, verifyTreeHeadSignature, type SignedTreeHead } from '../integrity/tree/tree-head';
import { acceptedKeys, type KeyRotation } from '../integrity/tree/key-rotation';
import { fileSha256, readLines } from './read-lines';

export interface BundleProblem {
  /** The file the problem is in. */
  file: string;
  kind:
    | 'missing-file'
    | 'unexpected-file'
    | 'file-hash-mismatch'
    | 'manifest-signature'
    | 'manifest-unreadable'
    | 'public-key'
    /** key-rotations.json cannot be read: only the trusted key itself counts. */
    | 'key-rotations'
    | 'line-changed'
    | 'unreadable-line'
    | ChainIssue['kind']
    | 'digest'
    | 'digest-head-mismatch'
    | 'digest-head-missing'
    | 'stream-summary'
    /** tree.json or tree-leaves.bin cannot be read, or do not agree with each other or the signed head. */
    | 'tree'
    /** A bundled event is not the leaf the tree holds at its index. */
    | 'tree-leaf-mismatch'
    | 'tree-head-signature'
    | 'trusted-head-signature'
    | 'trusted-head-beyond-bundle'
    | 'trusted-head-not-extended';
  /** 1-based line in the file, when the problem is in one line. */
  line?: number;
  eventId?: string;
  streamId?: string;
  version?: number;
  expected?: string;
  found?: string;
  detail: string;
}

export interface BundleVerifyReport {
  ok: boolean;
  folder: string;
  scope: string | null;
  eventsChecked: number;
  streamsChecked: number;
  digestsChecked: number;
  publicKey: string;
  /** The Merkle tree the bundle was cut at (absent in bundles written before it). */
  tree?: {
    treeSize: number;
    rootHash: string;
    leavesChecked: number;
    trustedHead?: { treeSize: number; rootHash: string; consistent: boolean; consistencyProof: string[] | null };
  };
  problems: BundleProblem[];
}

/**
 * Checks an audit bundle with nothing but its files (no database): the manifest's signature, each
 * file's SHA-256, each line of events.jsonl against its recorded hash (naming the event a change is
 * in), each stream's hash chain, the digests' signatures and chain, and every stream head the digests
 * state. `trustedKeyPem`: the auditor's own copy of the public key (otherwise the bundle's own is used,
 * and the report says so).
 */
export function verifyBundle(folder: string, trustedKeyPem?: string, trustedKeySource = 'given', trustedHead?: SignedTreeHead): BundleVerifyReport {
  const problems: BundleProblem[] = [];
  const report = (p: BundleProblem): void => {
    if (problems.length < 1000) problems.push(p);
  };
  if (!existsSync(folder)) throw new Error(`bundle folder ${folder} does not exist`);
  const path = (name: string): string => join(folder, name);

  // 1. Public key and manifest signature.
  let key: KeyObject | null = null;
  let keySource = trustedKeySource;
  try {
    if (trustedKeyPem !== undefined) key = publicKeyFromPem(trustedKeyPem);
    else {
      keySource = `${BUNDLE_FILES.publicKey} (the bundle's own key: pass the key you hold to rule out a re-signed bundle)`;
      key = publicKeyFromPem(readFileSync(path(BUNDLE_FILES.publicKey), 'utf8'));
    }
  } catch (e) {
    report({ file: BUNDLE_FILES.publicKey, kind: 'public-key', detail: `cannot read the public key: ${(e as Error).message}` });
  }
  // The key and every key recorded rotations link to it (each endorsed by the key before it): what was signed
  // after a rotation verifies with the key the auditor held before it, as `audit verify` does on the log.
  const keys: KeyObject[] = key ? acceptedKeys(key, readRotations(folder, report)) : [];
  const signedByAny = (check: (k: KeyObject) => boolean): boolean => keys.some(check);
  let manifest: BundleManifest | null;
  let manifestText = '';
  try {
    manifestText = readFileSync(path(BUNDLE_FILES.manifest), 'utf8');
    manifest = JSON.parse(manifestText) as BundleManifest;
    if (manifest.format !== BUNDLE_FORMAT) throw new Error(`format is ${JSON.stringify(manifest.format)}, expected ${BUNDLE_FORMAT}`);
  } catch (e) {
    report({ file: BUNDLE_FILES.manifest, kind: 'manifest-unreadable', detail: `${BUNDLE_FILES.manifest}: ${(e as Error).message}` });
    manifest = null;
  }
  if (key && manifestText) {
    const sig = existsSync(path(BUNDLE_FILES.manifestSignature)) ? readFileSync(path(BUNDLE_FILES.manifestSignature), 'utf8').trim() : '';
    if (!signedByAny((k) => verifySignature(k, manifestText, sig))) {
      report({
        file: BUNDLE_FILES.manifest,
        kind: 'manifest-signature',
        detail: `${BUNDLE_FILES.manifest}: its signature (${BUNDLE_FILES.manifestSignature}) does not verify with the public key`,
      });
    }
  }

  // 2. Every file against the manifest.
  if (manifest) {
    for (const [name, want] of Object.entries(manifest.files)) {
      if (!existsSync(path(name))) {
        report({ file: name, kind: 'missing-file', detail: `${name} is listed in the manifest but missing` });
        continue;
      }
      const got = fileSha256(path(name));
      if (got !== want.sha256)
        report({
          file: name,
          kind: 'file-hash-mismatch',
          expected: want.sha256,
          found: got,
          detail: `${name}: SHA-256 differs from the manifest (the file was changed)`,
        });
    }
    const known = new Set<string>([...Object.keys(manifest.files), BUNDLE_FILES.manifest, BUNDLE_FILES.manifestSignature]);
    for (const name of readdirSync(folder)) if (!known.has(name)) report({ file: name, kind: 'unexpected-file', detail: `${name} is not part of the bundle` });
  }

  // 3. The tree the bundle was cut at: its leaves give the signed head's root.
  const tree = readTree(folder, key ? signedByAny : null, report);
  let leavesChecked = 0;

  // 4. Events: line hashes, chains (both files read line by line, side by side), each one's leaf in the tree.
  const chain = new ChainVerifier(1000);
  const lastOf = new Map<string, { version: number; hash: string }>();
  /** Hashes at the versions the digests name (the only ones compared later), not every event's. */
  const wantedHeads = new Map<string, number>();
  const hashAt = new Map<string, string>();
  let events = 0;
  const digests = readDigests(path(BUNDLE_FILES.digests), report);
  const checked = key ? checkDigestChain(digests, keys) : null;
  if (checked) for (const [streamId, head] of checked.heads) wantedHeads.set(streamId, head.version);
  if (existsSync(path(BUNDLE_FILES.events))) {
    const lineHashes = existsSync(path(BUNDLE_FILES.lineHashes)) ? readLines(path(BUNDLE_FILES.lineHashes)) : null;
    let lineNo = 0;
    for (const line of readLines(path(BUNDLE_FILES.events))) {
      lineNo++;
      const recorded = lineHashes?.next();
      const recordedHash = recorded && !recorded.done ? recorded.value : undefined;
      let e: BundleEvent;
      try {
        e = JSON.parse(line) as BundleEvent;
      } catch (err) {
        const id = /"eventId":"([^"]*)"/.exec(line)?.[1];
        report({
          file: BUNDLE_FILES.events,
          kind: 'unreadable-line',
          line: lineNo,
          eventId: id,
          detail: `${BUNDLE_FILES.events} line ${lineNo}${id ? ` (event ${id})` : ''}: not valid JSON (${(err as Error).message})`,
        });
        continue;
      }
      events++;
      const actual = sha256Hex(line);
      if (recordedHash !== actual) {
        report({
          file: BUNDLE_FILES.events,
          kind: 'line-changed',
          line: lineNo,
          eventId: e.eventId,
          streamId: e.streamId,
          version: e.version,
          expected: recordedHash,
          found: actual,
          detail: `${BUNDLE_FILES.events} line ${lineNo}: event ${e.eventId} (${e.streamId}@${e.version}) differs from what was exported`,
        });
      }
      let recomputed: string;
      try {
        recomputed = computeEventHash({
          streamId: e.streamId,
          version: e.version,
          eventId: e.eventId,
          type: e.type,
          schemaVersion: e.schemaVersion,
          data: e.data,
          metadata: metadataForHash(e.metadata ?? {}),
          prevHash: e.prevHash,
        });
      } catch (err) {
        recomputed = `unhashable: ${(err as Error).message}`;
      }
      const before = chain.result().issues.length;
      chain.check({ ...e, metadata: e.metadata as never }, recomputed);
      const after = chain.result().issues;
      for (const issue of after.slice(before)) {
        report({
          file: BUNDLE_FILES.events,
          kind: issue.kind,
          line: lineNo,
          eventId: e.eventId,
          streamId: issue.streamId,
          version: issue.version,
          expected: issue.expected,
          found: issue.found,
          detail: `${BUNDLE_FILES.events} line ${lineNo}: event ${e.eventId} (${issue.streamId}@${issue.version}) ${issue.kind}`,
        });
      }
      if (tree) {
        const index = tree.leafIndex[String(e.globalPosition)];
        const leaf =
          typeof e.hash === 'string' && Number.isSafeInteger(e.globalPosition) && typeof e.recordedAt === 'string'
            ? leafHash(e.hash, e.globalPosition, e.recordedAt)
            : null;
        if (index === undefined || index >= tree.leaves.size || !leaf || !tree.leaves.leaf(index).equals(leaf)) {
          report({
            file: BUNDLE_FILES.events,
            kind: 'tree-leaf-mismatch',
            line: lineNo,
            eventId: e.eventId,
            streamId: e.streamId,
            version: e.version,
            detail: `${BUNDLE_FILES.events} line ${lineNo}: event ${e.eventId} (its hash, position ${e.globalPosition} and recorded time) is not the leaf the signed tree holds for it`,
          });
        } else leavesChecked++;
      }
      lastOf.set(e.streamId, { version: e.version, hash: e.hash });
      if (wantedHeads.get(e.streamId) === e.version) hashAt.set(e.streamId, e.hash);
    }
  } else report({ file: BUNDLE_FILES.events, kind: 'missing-file', detail: `${BUNDLE_FILES.events} is missing` });

  if (manifest) {
    for (const [streamId, s] of Object.entries(manifest.streams)) {
      const last = lastOf.get(streamId);
      if (!last || last.version !== s.lastVersion || last.hash !== s.lastHash) {
        report({
          file: BUNDLE_FILES.events,
          kind: 'stream-summary',
          streamId,
          expected: `${s.lastVersion}:${s.lastHash}`,
          found: last ? `${last.version}:${last.hash}` : 'absent',
          detail: `${streamId}: the manifest says it ends at version ${s.lastVersion}; events.jsonl ${last ? `ends at ${last.version}` : 'does not hold it'}`,
        });
      }
    }
  }

  // 5. A head held elsewhere: the bundle's tree must extend it (RFC 9162 consistency proof).
  let trustedReport: NonNullable<BundleVerifyReport['tree']>['trustedHead'];
  if (trustedHead) {
    if (key && !signedByAny((k) => verifyTreeHeadSignature(trustedHead, k))) {
      report({
        file: BUNDLE_FILES.tree,
        kind: 'trusted-head-signature',
        detail: `the trusted head (${trustedHead.treeSize} events) does not verify with the public key`,
      });
    }
    if (!tree) {
      report({
        file: BUNDLE_FILES.tree,
        kind: 'tree',
        detail: `the bundle holds no tree (${BUNDLE_FILES.tree}, ${BUNDLE_FILES.treeLeaves}): it cannot be checked against a trusted head`,
      });
    } else if (trustedHead.treeSize > tree.leaves.size) {
      report({
        file: BUNDLE_FILES.tree,
        kind: 'trusted-head-beyond-bundle',
        expected: String(trustedHead.treeSize),
        found: String(tree.leaves.size),
        detail: `the trusted head states ${trustedHead.treeSize} events; the bundle's tree holds ${tree.leaves.size}: it was cut before the head, or events were removed`,
      });
      trustedReport = { treeSize: trustedHead.treeSize, rootHash: trustedHead.rootHash, consistent: false, consistencyProof: null };
    } else {
      const proof = consistencyProof(tree.leaves, trustedHead.treeSize);
      const consistent = verifyConsistency(trustedHead.treeSize, tree.leaves.size, Buffer.from(trustedHead.rootHash, 'hex'), rootOf(tree.leaves), proof);
      if (!consistent) {
        report({
          file: BUNDLE_FILES.tree,
          kind: 'trusted-head-not-extended',
          expected: trustedHead.rootHash,
          detail: `the bundle's log does not extend the trusted head: its first ${trustedHead.treeSize} events give another root than the one signed at ${trustedHead.timestamp}`,
        });
      }
      trustedReport = { treeSize: trustedHead.treeSize, rootHash: trustedHead.rootHash, consistent, consistencyProof: proof.map((p) => p.toString('hex')) };
    }
  }

  // 6. Digests: signatures, their chain, and the heads of the bundle's streams.
  if (checked) {
    for (const b of checked.breaks)
      report({
        file: BUNDLE_FILES.digests,
        kind: 'digest',
        line: b.seq,
        expected: b.expected,
        found: b.found,
        detail: `${BUNDLE_FILES.digests} line ${b.seq}: ${b.detail}`,
      });
    for (const streamId of lastOf.keys()) {
      const head = checked.heads.get(streamId);
      if (!head) continue;
      const found = hashAt.get(streamId);
      if (found === undefined) {
        report({
          file: BUNDLE_FILES.events,
          kind: 'digest-head-missing',
          streamId,
          version: head.version,
          expected: head.hash,
          found: 'absent',
          detail: `the signed digests state ${streamId} reached version ${head.version}; the bundle does not hold it (truncated)`,
        });
      } else if (found !== head.hash) {
        report({
          file: BUNDLE_FILES.events,
          kind: 'digest-head-mismatch',
          streamId,
          version: head.version,
          expected: head.hash,
          found,
          detail: `the signed digests state ${streamId}@${head.version} has hash ${head.hash}; the bundle's event has ${found} (rewritten)`,
        });
      }
    }
  }
  return {
    ok: problems.length === 0,
    folder,
    scope: manifest?.scope ?? null,
    eventsChecked: events,
    streamsChecked: lastOf.size,
    digestsChecked: digests.length,
    publicKey: keySource,
    ...(tree
      ? { tree: { treeSize: tree.head.treeSize, rootHash: tree.head.rootHash, leavesChecked, ...(trustedReport ? { trustedHead: trustedReport } : {}) } }
      : {}),
    problems,
  };
}

/** tree.json and tree-leaves.bin, checked against each other and the signed head; null when absent or unusable. */
function readTree(
  folder: string,
  signedByAny: ((check: (k: KeyObject) => boolean) => boolean) | null,
  report: (p: BundleProblem) => void,
): { head: SignedTreeHead; leafIndex: Record<string, number>; leaves: PackedLeaves } | null {
  const treeFile = join(folder, BUNDLE_FILES.tree);
  if (!existsSync(treeFile)) return null;
  let parsed: BundleTree;
  let leaves: PackedLeaves;
  try {
    parsed = JSON.parse(readFileSync(treeFile, 'utf8')) as BundleTree;
    const problem = treeHeadProblem(parsed.head);
    if (problem) throw new Error(`its head is not a signed tree head: ${problem}`);
    if (typeof parsed.leafIndex !== 'object' || parsed.leafIndex === null) throw new Error('leafIndex must be an object');
    leaves = PackedLeaves.fromBytes(readFileSync(join(folder, BUNDLE_FILES.treeLeaves)));
  } catch (e) {
    report({ file: BUNDLE_FILES.tree, kind: 'tree', detail: `${BUNDLE_FILES.tree} / ${BUNDLE_FILES.treeLeaves}: ${(e as Error).message}` });
    return null;
  }
  if (leaves.size !== parsed.head.treeSize || rootOf(leaves).toString('hex') !== parsed.head.rootHash) {
    report({
      file: BUNDLE_FILES.treeLeaves,
      kind: 'tree',
      expected: parsed.head.rootHash,
      found: rootOf(leaves).toString('hex'),
      detail: `${BUNDLE_FILES.treeLeaves}: ${leaves.size} leaves that do not give the root of the signed head (${parsed.head.treeSize} events)`,
    });
  }
  if (signedByAny && !signedByAny((k) => verifyTreeHeadSignature(parsed.head, k))) {
    report({
      file: BUNDLE_FILES.tree,
      kind: 'tree-head-signature',
      detail: `${BUNDLE_FILES.tree}: the tree head's signature does not verify with the public key`,
    });
  }
  return { head: parsed.head, leafIndex: parsed.leafIndex, leaves };
}

/** The recorded rotations the bundle carries; none for a bundle without the file (its manifest says whether one belongs). */
function readRotations(folder: string, report: (p: BundleProblem) => void): KeyRotation[] {
  const file = join(folder, BUNDLE_FILES.keyRotations);
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(parsed)) throw new Error('not a JSON array');
    return parsed as KeyRotation[];
  } catch (e) {
    report({ file: BUNDLE_FILES.keyRotations, kind: 'key-rotations', detail: `${BUNDLE_FILES.keyRotations}: ${(e as Error).message}` });
    return [];
  }
}

function readDigests(file: string, report: (p: BundleProblem) => void): SignedDigest[] {
  const digests: SignedDigest[] = [];
  if (!existsSync(file)) return digests;
  let lineNo = 0;
  for (const line of readLines(file)) {
    lineNo++;
    if (line === '') continue;
    try {
      digests.push(JSON.parse(line) as SignedDigest);
    } catch (err) {
      report({
        file: BUNDLE_FILES.digests,
        kind: 'digest',
        line: lineNo,
        detail: `${BUNDLE_FILES.digests} line ${lineNo}: not valid JSON (${(err as Error).message})`,
      });
    }
  }
  return digests;
}
