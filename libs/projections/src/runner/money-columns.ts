import { Money } from '@cbec/domain';

/**
 * Money in the read models is an INTEGER of fen (exact; SQLite sums integers exactly). JavaScript
 * numbers hold it exactly up to 2^53 fen (about 90 trillion yuan), far above any fund.
 */
export function fen(text: string, field = 'amountCny'): number {
  return Number(Money.parse(text, 'CNY', field).minor);
}

export function cny(minor: number | bigint | null | undefined): string {
  return Money.ofMinor(BigInt(minor ?? 0), 'CNY').toString();
}
