import type Database from 'better-sqlite3';
import { Money } from '@cbec/domain';

/** SQLite's INTEGER is a signed 64-bit number: the most fen a money column holds exactly. */
export const MAX_STORED_FEN = 9_223_372_036_854_775_807n;

/**
 * Money in the read models is an INTEGER of fen, written as a bigint and read back with better-sqlite3's
 * `safeIntegers` (`exactStatement`), summed as bigint and formatted with `Money`: exact at any amount a
 * column holds (up to ¥92,233,720,368,547,758.07). A JavaScript number would lose fen above 2^53 fen
 * (about ¥90 trillion).
 */
export function fen(text: string, field = 'amountCny'): bigint {
  const minor = Money.parse(text, 'CNY', field).minor;
  if (minor > MAX_STORED_FEN) {
    throw new RangeError(`${field} ${text} is above what a read model stores exactly (${Money.ofMinor(MAX_STORED_FEN, 'CNY')})`);
  }
  return minor;
}

export function cny(minor: number | bigint | null | undefined): string {
  return Money.ofMinor(BigInt(minor ?? 0), 'CNY').toString();
}

const exact = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement (cached per database) whose INTEGER columns come back as bigint. */
export function exactStatement(db: Database.Database, sql: string): Database.Statement {
  let cache = exact.get(db);
  if (!cache) {
    cache = new Map();
    exact.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql).safeIntegers(true);
    cache.set(sql, s);
  }
  return s;
}

/**
 * A row of an `exactStatement`: the money columns stay bigint, every other integer (a year, a count, a
 * version) becomes a number again. A REAL in a money column would mean SQLite's integer arithmetic
 * overflowed: that is refused, never shown rounded.
 */
export function exactRow<T>(row: unknown, moneyColumns: readonly string[]): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (moneyColumns.includes(key)) {
      if (value !== null && typeof value !== 'bigint') throw new RangeError(`read model column ${key} holds ${String(value)}, not an exact number of fen`);
    } else if (typeof value === 'bigint') {
      out[key] = Number(value);
    }
  }
  return out as T;
}

export function sumFen<T>(rows: readonly T[], pick: (row: T) => bigint | null): bigint {
  return rows.reduce((total, r) => total + (pick(r) ?? 0n), 0n);
}
