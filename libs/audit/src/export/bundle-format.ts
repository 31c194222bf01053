import type { SignedTreeHead } from '../integrity/tree/tree-head';

/** The files of an audit bundle (format `cbec-audit-bundle/1`). */
export const BUNDLE_FORMAT = 'cbec-audit-bundle/1';
export const BUNDLE_FILES = {
  /** One stored event per line, canonical JSON, in global order; whole streams from version 0. */
  events: 'events.jsonl',
  /** SHA-256 of each line of events.jsonl, one per line: names the event a change is in. */
  lineHashes: 'events.lines.sha256',
  /** Every signed digest of the instance, one per line, in order. */
  digests: 'digests.jsonl',
  publicKey: 'public-key.pem',
  /**
   * The signing-key rotations recorded in the log (stream `audit-keys`), a JSON array: each endorsed by the
   * key before it, so a bundle signed after a rotation verifies with the key an auditor held before it.
   */
  keyRotations: 'key-rotations.json',
  /** Each approved award of the bundle as text for people (zh-CN unless exported with --lang en), covered by the manifest. */
  explanations: 'explanations.txt',
  /** The signed tree head the bundle was cut at, and each bundled event's leaf index in that tree. */
  tree: 'tree.json',
  /** Every leaf hash of the whole log's tree at that head, 32 bytes each in order: the tree without the other events. */
  treeLeaves: 'tree-leaves.bin',
  manifest: 'manifest.json',
  /** Base64 Ed25519 signature over the bytes of manifest.json. */
  manifestSignature: 'manifest.sig',
} as const;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  scope: string;
  createdAt: string;
  headPosition: number;
  eventCount: number;
  streams: Record<string, { events: number; lastVersion: number; lastHash: string }>;
  files: Record<string, { sha256: string; bytes: number }>;
}

/** The line written for one event (canonical JSON of these fields). */
export interface BundleEvent {
  globalPosition: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** `tree.json`: the head the bundle proves against, and where each bundled event sits in its tree. */
export interface BundleTree {
  head: SignedTreeHead;
  /** Global position (as text) of each bundled event -> its leaf index. */
  leafIndex: Record<string, number>;
}
