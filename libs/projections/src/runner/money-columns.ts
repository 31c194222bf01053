import { Money } from '@cbec/domain';

/** SQLite's INTEGER is a signed 64-bit number: the most fen a money column holds exactly. */
export const MAX_STORED_FEN = 9_223_372_036_854_775_807n;

/**
 * Money in the read models is an INTEGER (BIGINT on PostgreSQL) of fen, written as a bigint and read back
 * exactly (`SqlReader.exact`), summed as bigint and formatted with `Money`: exact at any amount a column
 * holds (up to ¥92,233,720,368,547,758.07). A JavaScript number would lose fen above 2^53 fen (about ¥90
 * trillion).
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

export function sumFen<T>(rows: readonly T[], pick: (row: T) => bigint | null): bigint {
  return rows.reduce((total, r) => total + (pick(r) ?? 0n), 0n);
}
