import { canonicalJson } from '@cbec/event-store';
import { createPublicKey, hash, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { verifySignature, type SigningKey } from '../signing-key';

/** Names the log a head is about, so that a head of another system's log is never taken for one of ours. */
export const TREE_HEAD_LOG = 'cbec-audit-log/v1';

/**
 * A signed tree head: the size of the Merkle tree over the log, its root and when it was signed, with
 * the id of the key that signed it. What an auditor (or a witness) keeps: any later log must extend it.
 */
export interface TreeHeadBody {
  log: typeof TREE_HEAD_LOG;
  treeSize: number;
  /** Hex SHA-256 root of the tree of the first `treeSize` events in global-position order. */
  rootHash: string;
  /** ISO instant, the app's clock. */
  timestamp: string;
  /** Hex SHA-256 of the signing key's SPKI DER form. */
  keyId: string;
}

export interface SignedTreeHead extends TreeHeadBody {
  /** Base64 Ed25519 signature over the canonical JSON (RFC 8785) of the body. */
  signature: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return hash('sha256', publicKey.export({ type: 'spki', format: 'der' }), 'hex');
}

export function signTreeHead(key: SigningKey, body: Omit<TreeHeadBody, 'log' | 'keyId'>): SignedTreeHead {
  const full: TreeHeadBody = { log: TREE_HEAD_LOG, treeSize: body.treeSize, rootHash: body.rootHash, timestamp: body.timestamp, keyId: keyIdOf(key.publicKey) };
  return { ...full, signature: key.sign(canonicalJson(full)) };
}

export function treeHeadBody(head: SignedTreeHead): TreeHeadBody {
  return { log: head.log, treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, keyId: head.keyId };
}

export function verifyTreeHeadSignature(head: SignedTreeHead, publicKey: KeyObject): boolean {
  return keyIdOf(publicKey) === head.keyId && verifySignature(publicKey, canonicalJson(treeHeadBody(head)), head.signature);
}

/** Why a text is not a signed tree head, or null when it is one. */
export function treeHeadProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const h = value as Record<string, unknown>;
  if (h.log !== TREE_HEAD_LOG) return `"log" must be ${JSON.stringify(TREE_HEAD_LOG)}`;
  if (!Number.isSafeInteger(h.treeSize) || (h.treeSize as number) < 0) return '"treeSize" must be a non-negative integer';
  if (typeof h.rootHash !== 'string' || !/^[0-9a-f]{64}$/.test(h.rootHash)) return '"rootHash" must be 64 lowercase hex digits';
  if (typeof h.timestamp !== 'string' || Number.isNaN(Date.parse(h.timestamp))) return '"timestamp" must be an ISO instant';
  if (typeof h.keyId !== 'string' || !/^[0-9a-f]{64}$/.test(h.keyId)) return '"keyId" must be 64 lowercase hex digits';
  if (typeof h.signature !== 'string' || h.signature.length === 0) return '"signature" must be a base64 Ed25519 signature';
  return null;
}

export class TreeHeadFileError extends Error {}

/**
 * A head held outside the data folder: a file with one head (as `GET /audit/tree-head` answers it), or a
 * witness file of one head per line, whose last line is taken.
 */
export function readTrustedHead(file: string): SignedTreeHead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new TreeHeadFileError(`cannot read the trusted head ${file}: ${(e as Error).message}`);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new TreeHeadFileError(`the trusted head ${file} is empty`);
  let value: unknown;
  try {
    value = JSON.parse(lines.length === 1 ? lines[0] : text);
  } catch {
    try {
      value = JSON.parse(lines[lines.length - 1]);
    } catch (e) {
      throw new TreeHeadFileError(`the trusted head ${file} is neither a JSON head nor lines of heads (${(e as Error).message})`);
    }
  }
  const problem = treeHeadProblem(value);
  if (problem) throw new TreeHeadFileError(`the trusted head ${file} is not a signed tree head: ${problem}`);
  return value as SignedTreeHead;
}

export function publicKeyOfPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
