/**
 * The per-stream hash chain, shared by both adapters, `verify` and the audit tools.
 *
 * hash = SHA-256 (hex) of the RFC 8785 canonical JSON of
 *   { streamId, version, eventId, type, schemaVersion, data, metadata, prevHash }
 * where `data` and `metadata` are the STORED forms (never upcast) and `metadata` excludes
 * `prevHash`/`hash` themselves (EventStoreDB keeps them inside its metadata).
 *
 * `recordedAt` and `globalPosition` are deliberately OUTSIDE the hash: both are assigned by the store at
 * commit (EventStoreDB's commit position is unknown until the server has written), so leaving them out
 * lets the writer compute the hash before the write and keeps one event's hash identical on every
 * adapter (a log copied from SQLite to EventStoreDB keeps its chain). Cross-stream order and the log's
 * tail are what the audit tools' global digests cover, not this chain.
 */
import * as crypto from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** prevHash of version 0. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields the hash covers, in stored form. */
export interface HashedFields {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  prevHash: string;
}

/**
 * RFC 8785 (JCS) canonical JSON of a JSON value.
 *
 * Byte-identical to the `canonicalize` package (hash-chain.spec.ts checks that property over generated
 * JSON values); this one is written out because it is on the append hot path and the package spends
 * most of its time in a per-character surrogate scan that `String.prototype.isWellFormed` does natively.
 * Like the package, it refuses what JSON cannot represent faithfully (NaN, Infinity, lone surrogates),
 * and it also refuses bigint/function/symbol values instead of writing them as `undefined`.
 */
export function canonicalJson(value: unknown): string {
  try {
    return canonical(value);
  } catch (error) {
    // The hot path carries no path; find where the bad value is only when there is one.
    throw new TypeError(`${locate(value, '$') ?? '$'}: ${(error as Error).message}`, { cause: error });
  }
}

// ES2024 API (Node >= 20); the project's TypeScript lib is ES2022.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** An object shape (its own keys, in enumeration order): its keys in RFC 8785 order, written out. */
interface Shape {
  /** The keys in RFC 8785 order (UTF-16 code units). */
  sorted: string[];
  /** `"key":` for each of `sorted`. */
  prefixes: string[];
}

interface ShapeNode {
  next: Map<string, ShapeNode>;
  shape?: Shape;
}

// Events of one type share a few shapes: sorting and escaping their keys once is most of the speed. A
// trie over the key sequence finds a shape without building a string per object.
const shapeRoot: ShapeNode = { next: new Map() };
let shapeNodes = 0;
const MAX_SHAPE_NODES = 50_000;

function shapeOf(keys: string[]): Shape {
  let node: ShapeNode | undefined = shapeRoot;
  for (let i = 0; i < keys.length && node; i++) node = node.next.get(keys[i]);
  if (node?.shape) return node.shape;
  for (const key of keys) if (!isWellFormed(key)) throw new TypeError('lone surrogate in key is not valid canonical JSON');
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shape: Shape = { sorted, prefixes: sorted.map((key) => JSON.stringify(key) + ':') };
  if (shapeNodes + keys.length <= MAX_SHAPE_NODES) {
    let at = shapeRoot;
    for (const key of keys) {
      let child = at.next.get(key);
      if (!child) {
        child = { next: new Map() };
        at.next.set(key, child);
        shapeNodes++;
      }
      at = child;
    }
    at.shape = shape;
  }
  return shape;
}

function canonical(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new TypeError('lone surrogate in string is not valid canonical JSON');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not valid JSON`);
      // ECMAScript Number-to-String, as RFC 8785 prescribes (what JSON.stringify writes for finite numbers).
      return '' + value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += item === undefined || typeof item === 'symbol' ? 'null' : canonical(item);
        }
        return out + ']';
      }
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return canonical(withJson.toJSON());
      const record = value as Record<string, unknown>;
      const { sorted, prefixes } = shapeOf(Object.keys(record));
      let out = '{';
      let first = true;
      for (let j = 0; j < sorted.length; j++) {
        const item = record[sorted[j]];
        if (item === undefined || typeof item === 'symbol') continue;
        out += (first ? '' : ',') + prefixes[j] + canonical(item);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

/** The path of the first value canonical() refuses. */
function locate(value: unknown, path: string): string | undefined {
  try {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
      const entries = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(value).map(([k, v]) => [`.${k}`, v] as const);
      for (const [step, item] of entries) {
        if (item === undefined || typeof item === 'symbol') continue;
        const inner = locate(item, path + step);
        if (inner) return inner;
      }
      canonical(value);
      return undefined;
    }
    canonical(value);
    return undefined;
  } catch {
    return path;
  }
}

/**
 * The canonical JSON of the hashed envelope, given `data` and `metadata` already in canonical JSON.
 * Keys in RFC 8785 order: data, eventId, metadata, prevHash, schemaVersion, streamId, type, version.
 */
export function canonicalEnvelope(fields: Omit<HashedFields, 'data' | 'metadata'>, canonicalData: string, canonicalMetadata: string): string {
  return (
    '{"data":' +
    canonicalData +
    ',"eventId":' +
    quotePlain(fields.eventId) +
    ',"metadata":' +
    canonicalMetadata +
    ',"prevHash":' +
    quotePlain(fields.prevHash) +
    ',"schemaVersion":' +
    JSON.stringify(fields.schemaVersion) +
    ',"streamId":' +
    JSON.stringify(fields.streamId) +
    ',"type":' +
    JSON.stringify(fields.type) +
    ',"version":' +
    JSON.stringify(fields.version) +
    '}'
  );
}

const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

const PLAIN = /^[0-9A-Za-z-]*$/;
/** JSON string of ids and hex hashes, skipping the escaper when nothing needs escaping. */
function quotePlain(text: string): string {
  return PLAIN.test(text) ? '"' + text + '"' : JSON.stringify(text);
}

export function sha256Hex(text: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form, markedly cheaper per event than a Hash object.
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hash from data/metadata already in canonical JSON (the SQLite adapter stores them that way). */
export function hashFromCanonicalParts(fields: Omit<HashedFields, 'data' | 'metadata'>, canonicalData: string, canonicalMetadata: string): string {
  return sha256Hex(canonicalEnvelope(fields, canonicalData, canonicalMetadata));
}

/** The hash of one event from its stored fields. */
export function computeEventHash(fields: HashedFields): string {
  return hashFromCanonicalParts(fields, canonicalJson(fields.data), canonicalJson(fields.metadata));
}

/** Metadata as hashed: without the chain's own fields. */
export function metadataForHash<M extends Record<string, unknown>>(metadata: M): Omit<M, 'prevHash' | 'hash'> {
  if (!('prevHash' in metadata) && !('hash' in metadata)) return metadata;
  const { prevHash: _p, hash: _h, ...rest } = metadata;
  return rest;
}

type CanonicalizeFn = (value: unknown) => string | undefined;
let reference: CanonicalizeFn | undefined;

/**
 * The `canonicalize` package (RFC 8785 reference), for tests and cross-checks. It is ESM-only with an
 * import-only export map, so it is loaded by file through Node's own require (Node >= 20.19 loads ESM
 * synchronously), which also works inside Jest's CommonJS sandbox.
 */
export function referenceCanonicalize(value: unknown): string | undefined {
  if (!reference) {
    const nodeRequire = createRequire(__filename);
    const roots = nodeRequire.resolve.paths('canonicalize') ?? [];
    const root = roots.map((dir) => join(dir, 'canonicalize')).find((dir) => existsSync(join(dir, 'package.json')));
    if (!root) throw new Error('the canonicalize package is not installed');
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports?: { '.'?: { import?: string } };
      main?: string;
    };
    const entry = manifest.exports?.['.']?.import ?? manifest.main ?? 'index.js';
    const loaded = nodeRequire(join(root, entry)) as { default?: CanonicalizeFn } | CanonicalizeFn;
    reference = typeof loaded === 'function' ? loaded : loaded.default;
    if (typeof reference !== 'function') throw new Error('the canonicalize package exports no function');
  }
  return reference(value);
}
