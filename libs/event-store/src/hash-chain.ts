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
    try {
      return JSON.stringify(sortedCopy(value));
    } catch (error) {
      if (error !== SLOW_PATH) throw error;
      return canonical(value);
    }
  } catch (error) {
    // The hot path carries no path; find where the bad value is only when there is one.
    throw new TypeError(`${locate(value, '$') ?? '$'}: ${(error as Error).message}`);
  }
}

const SLOW_PATH = Symbol('canonical JSON needs the string-building path');

/**
 * A copy with every object's keys inserted in RFC 8785 order, checked on the way, so that the native
 * JSON.stringify writes the canonical form (it already writes numbers and strings the way RFC 8785
 * prescribes). Keys that JavaScript would not keep in insertion order (array indexes such as "10",
 * and "__proto__") send the value to the string-building path instead.
 */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new TypeError('lone surrogate in string is not valid canonical JSON');
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not valid JSON`);
      return value;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return sortedCopy(withJson.toJSON());
      if (Array.isArray(value)) {
        const out: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          out[i] = item === undefined || typeof item === 'symbol' ? null : sortedCopy(item);
        }
        return out;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const item = record[key];
        if (item === undefined || typeof item === 'symbol') continue;
        const first = key.charCodeAt(0);
        if ((first >= 48 && first <= 57) || key === '__proto__') throw SLOW_PATH;
        if (!isWellFormed(key)) throw new TypeError('lone surrogate in key is not valid canonical JSON');
        out[key] = sortedCopy(item);
      }
      return out;
    }
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

// ES2024 API (Node >= 20); the project's TypeScript lib is ES2022.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

function canonical(value: unknown): string {
  switch (typeof value) {
    case 'string':
      if (!isWellFormed(value)) throw new TypeError('lone surrogate in string is not valid canonical JSON');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not valid JSON`);
      // ECMAScript Number-to-String, as RFC 8785 prescribes (same as JSON.stringify for finite numbers).
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      const withJson = value as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === 'function') return canonical(withJson.toJSON());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (i > 0) out += ',';
          out += item === undefined || typeof item === 'symbol' ? 'null' : canonical(item);
        }
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
      const keys = Object.keys(record).sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const item = record[key];
        if (item === undefined || typeof item === 'symbol') continue;
        if (!isWellFormed(key)) throw new TypeError('lone surrogate in key is not valid canonical JSON');
        out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonical(item);
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
export function canonicalEnvelope(
  fields: Omit<HashedFields, 'data' | 'metadata'>,
  canonicalData: string,
  canonicalMetadata: string,
): string {
  return (
    '{"data":' +
    canonicalData +
    ',"eventId":' +
    JSON.stringify(fields.eventId) +
    ',"metadata":' +
    canonicalMetadata +
    ',"prevHash":' +
    JSON.stringify(fields.prevHash) +
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

export function sha256Hex(text: string): string {
  // crypto.hash (Node >= 20.12) is the one-shot form, markedly cheaper per event than a Hash object.
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Hash from data/metadata already in canonical JSON (the SQLite adapter stores them that way). */
export function hashFromCanonicalParts(
  fields: Omit<HashedFields, 'data' | 'metadata'>,
  canonicalData: string,
  canonicalMetadata: string,
): string {
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
