import { existsSync } from 'node:fs';
import { canonicalJson } from '@cbec/domain';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from './projection';
import type { ReadModelEngine, SqlReader } from './read-model-engine';
import { CHECKPOINT_TABLE } from './read-model-db';
import { SqliteReadModelEngine } from './sqlite-read-model-engine';

export type Row = Record<string, unknown>;

/** One row that differs: `a` or `b` is null when the row exists on one side only. */
export interface ReadModelDifference {
  table: string;
  key: Row;
  a: Row | null;
  b: Row | null;
  /** Columns whose values differ, when the row exists on both sides. */
  columns?: string[];
}

export interface CompareOptions {
  projections?: readonly Projection[];
  /** Stop after this many differences (the report says so with a last `{ table: '…truncated' }` entry). */
  limit?: number;
}

/**
 * Integers are read exactly (money is fen in 64-bit integer columns): as a number where that is exact,
 * else as its decimal text, so two values above 2^53 that differ never compare equal.
 */
async function readTable(db: SqlReader, table: string): Promise<Row[] | null> {
  if (!(await db.hasTable(table))) return null;
  return db.exactAny(`SELECT * FROM ${table}`);
}

/** A file by its path (opened read-only, closed after), or an open engine (left open). */
function readOnly(target: string | ReadModelEngine): ReadModelEngine {
  if (typeof target !== 'string') return target;
  if (!existsSync(target)) throw new Error(`no read-model file at ${target}`);
  return new SqliteReadModelEngine(target, { readonly: true });
}

/**
 * Compares two read-model stores row by row (by each table's key), checkpoints included: two stores
 * built from the same log up to the same position must be equal, whatever their engines (a SQLite file
 * and a PostgreSQL schema compare as well). Returns the differences, none when equal.
 */
export async function compareReadModels(
  targetA: string | ReadModelEngine,
  targetB: string | ReadModelEngine,
  options: CompareOptions = {},
): Promise<ReadModelDifference[]> {
  for (const t of [targetA, targetB]) if (typeof t === 'string' && !existsSync(t)) throw new Error(`no read-model file at ${t}`);
  const projections = options.projections ?? ALL_PROJECTIONS;
  const limit = options.limit ?? 1000;
  const engineA = readOnly(targetA);
  const engineB = readOnly(targetB);
  const [a, b] = [engineA.reader, engineB.reader];
  const out: ReadModelDifference[] = [];
  try {
    const tables = [
      { name: CHECKPOINT_TABLE, key: ['projection'] as readonly string[], only: new Set(projections.map((p) => p.name)) },
      ...projections.flatMap((p) => p.tables.map((t) => ({ name: t.name, key: t.key, only: null }))),
    ];
    for (const table of tables) {
      const filter = (rows: Row[] | null): Row[] | null => (rows && table.only ? rows.filter((r) => table.only!.has(String(r.projection))) : rows);
      const rowsA = filter(await readTable(a, table.name));
      const rowsB = filter(await readTable(b, table.name));
      if (rowsA === null || rowsB === null) {
        out.push({ table: table.name, key: {}, a: rowsA === null ? null : { rows: rowsA.length }, b: rowsB === null ? null : { rows: rowsB.length } });
        continue;
      }
      const keyOf = (r: Row): string => canonicalJson(table.key.map((k) => r[k]));
      const mapB = new Map(rowsB.map((r) => [keyOf(r), r]));
      for (const rowA of rowsA) {
        const k = keyOf(rowA);
        const rowB = mapB.get(k);
        mapB.delete(k);
        const key = Object.fromEntries(table.key.map((c) => [c, rowA[c]]));
        if (!rowB) out.push({ table: table.name, key, a: rowA, b: null });
        else {
          const columns = Object.keys({ ...rowA, ...rowB }).filter((c) => canonicalJson(rowA[c]) !== canonicalJson(rowB[c]));
          if (columns.length) out.push({ table: table.name, key, a: rowA, b: rowB, columns });
        }
        if (out.length >= limit) break;
      }
      for (const rowB of mapB.values()) {
        if (out.length >= limit) break;
        out.push({ table: table.name, key: Object.fromEntries(table.key.map((c) => [c, rowB[c]])), a: null, b: rowB });
      }
      if (out.length >= limit) {
        out.push({ table: '…truncated', key: { limit }, a: null, b: null });
        break;
      }
    }
  } finally {
    if (typeof targetA === 'string') await engineA.close();
    if (typeof targetB === 'string') await engineB.close();
  }
  return out;
}
