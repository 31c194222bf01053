import { canonicalJson, GENESIS_HASH, sha256Hex } from '@cbec/event-store';
import type { KeyObject } from 'node:crypto';
import { verifySignature, type SigningKey } from './signing-key';

/** The last event of one stream's hash chain. */
export interface ChainHead {
  version: number;
  hash: string;
}

export type ChainHeads = Map<string, ChainHead>;

/**
 * What one digest states, signed: the chain heads of every stream at `globalPosition` (the full map is
 * committed to by `headsRoot`, chained over the digests; `changed` lists the heads that moved since the previous digest, so the
 * digests together hold every head without repeating unchanged streams) and the hash of the previous
 * digest, so that the digests form a chain of their own.
 */
export interface DigestBody {
  seq: number;
  globalPosition: number;
  streamCount: number;
  headsRoot: string;
  changed: Record<string, ChainHead>;
  prevDigestHash: string;
  createdAt: string;
  reason: 'interval' | 'shutdown' | 'manual';
}

export interface SignedDigest {
  body: DigestBody;
  /** Base64 Ed25519 signature over the canonical JSON of `body`. */
  signature: string;
  /** SHA-256 of the canonical JSON of `body`: the next digest's `prevDigestHash`. */
  digestHash: string;
}

/**
 * Commits to the full heads map incrementally: SHA-256 of the previous root and the canonical JSON of
 * the heads that changed. Equal roots mean equal maps built by equal steps; the cost per digest is the
 * number of streams that moved, not the number of streams.
 */
export function headsRoot(previousRoot: string, changed: Record<string, ChainHead>): string {
  return headsRootOfText(previousRoot, canonicalJson(changed));
}

function headsRootOfText(previousRoot: string, canonicalChanged: string): string {
  return sha256Hex(previousRoot + canonicalChanged);
}

/**
 * The canonical JSON of a digest body, and of its `changed` within it. `changed` sorts first among a
 * body's keys, so the body's text is `{"changed":` + that text + the rest: `changed` (most of a digest)
 * is written once, not once for the signature and again for headsRoot. A body with a key sorting before
 * `changed` (none is written) is written whole.
 */
export function canonicalBody(body: DigestBody): { text: string; changedText: string } {
  const rest: Record<string, unknown> = { ...body, changed: undefined };
  // Without `changed` the body is refused by checkDigestChain when it accumulates the heads.
  if (body.changed === undefined) return { text: canonicalJson(body), changedText: 'null' };
  if (Object.keys(rest).some((key) => key < 'changed')) return { text: canonicalJson(body), changedText: canonicalJson(body.changed) };
  let changedText: string;
  let restText: string;
  try {
    changedText = canonicalJson(body.changed);
    restText = canonicalJson(rest);
  } catch {
    // Refused as the whole body would be, naming the path from the body.
    return { text: canonicalJson(body), changedText: canonicalJson(body.changed) };
  }
  return { text: '{"changed":' + changedText + (restText === '{}' ? '}' : ',' + restText.slice(1)), changedText };
}

/** The chain heads the digests state, accumulated in order (what `checkDigestChain` returns as `heads`, without checking). */
export function digestHeads(digests: readonly SignedDigest[]): ChainHeads {
  const heads: ChainHeads = new Map();
  for (const d of digests) for (const stream in d.body.changed) heads.set(stream, d.body.changed[stream]);
  return heads;
}

export function signDigest(key: SigningKey, body: DigestBody): SignedDigest {
  const text = canonicalJson(body);
  return { body, signature: key.sign(text), digestHash: sha256Hex(text) };
}

/** The heads that differ between two maps (streams are never removed from a log). */
export function changedHeads(current: ChainHeads, previous: ChainHeads): Record<string, ChainHead> {
  const changed: Record<string, ChainHead> = {};
  for (const [stream, head] of current) {
    const before = previous.get(stream);
    if (!before || before.version !== head.version || before.hash !== head.hash) changed[stream] = { ...head };
  }
  return changed;
}

/** One problem with the digests themselves (before comparing them with the log). */
export interface DigestChainBreak {
  kind: 'digest-signature' | 'digest-chain' | 'digest-sequence' | 'digest-heads-root' | 'digest-position';
  seq: number;
  detail: string;
  expected?: string;
  found?: string;
}

/**
 * Walks the digests in order: signatures with `publicKey`, the chain of `prevDigestHash`, sequence numbers,
 * each `headsRoot` against the heads accumulated from `changed`. Returns the problems and, per digest,
 * the accumulated heads (for comparison with the log).
 */
export function checkDigestChain(
  digests: readonly SignedDigest[],
  publicKey: KeyObject | readonly KeyObject[],
): { breaks: DigestChainBreak[]; heads: ChainHeads } {
  // The trusted key, or every key linked to it by recorded rotations (key-rotation.ts).
  const keys = Array.isArray(publicKey) ? (publicKey as readonly KeyObject[]) : [publicKey as KeyObject];
  const breaks: DigestChainBreak[] = [];
  const heads: ChainHeads = new Map();
  let prevHash = GENESIS_HASH;
  let prevRoot = GENESIS_HASH;
  let prevPosition = 0;
  digests.forEach((d, i) => {
    const seq = d.body.seq;
    const { text, changedText } = canonicalBody(d.body);
    if (!keys.some((k) => verifySignature(k, text, d.signature))) {
      breaks.push({ kind: 'digest-signature', seq, detail: `digest ${seq}: signature does not verify with the public key` });
    }
    const ownHash = sha256Hex(text);
    if (ownHash !== d.digestHash) {
      breaks.push({ kind: 'digest-chain', seq, detail: `digest ${seq}: stored digestHash does not match its body`, expected: ownHash, found: d.digestHash });
    }
    if (seq !== i + 1) {
      breaks.push({ kind: 'digest-sequence', seq, detail: `digest number ${i + 1} carries seq ${seq}: a digest is missing or out of order` });
    }
    if (d.body.prevDigestHash !== prevHash) {
      breaks.push({
        kind: 'digest-chain',
        seq,
        detail: `digest ${seq}: prevDigestHash does not match the previous digest`,
        expected: prevHash,
        found: d.body.prevDigestHash,
      });
    }
    if (d.body.globalPosition < prevPosition) {
      breaks.push({
        kind: 'digest-position',
        seq,
        detail: `digest ${seq}: global position ${d.body.globalPosition} is below the previous digest's ${prevPosition}`,
      });
    }
    for (const [stream, head] of Object.entries(d.body.changed)) heads.set(stream, head);
    const root = headsRootOfText(prevRoot, changedText);
    prevRoot = d.body.headsRoot;
    if (root !== d.body.headsRoot || heads.size !== d.body.streamCount) {
      breaks.push({
        kind: 'digest-heads-root',
        seq,
        detail: `digest ${seq}: headsRoot does not match the heads accumulated from the digests`,
        expected: root,
        found: d.body.headsRoot,
      });
    }
    prevHash = ownHash;
    prevPosition = d.body.globalPosition;
  });
  return { breaks, heads };
}
