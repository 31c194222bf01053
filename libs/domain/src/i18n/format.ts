import type { Locale } from './locale';

/**
 * Amounts and times as people read them. The API keeps its decimal strings ("50000.00") and ISO times;
 * these render companions and text outputs only (docs/chinese.md).
 */

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const SYMBOL: Record<'CNY' | 'USD', string> = { CNY: '¥', USD: 'US$' };

/** "1234567.89", CNY -> "¥1,234,567.89"; USD -> "US$1,234,567.89". Not a decimal: returned as given. */
export function formatMoney(amount: string, currency: 'CNY' | 'USD' = 'CNY'): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!m) return amount;
  return `${m[1]}${SYMBOL[currency]}${groupThousands(m[2])}${m[3] ?? ''}`;
}

/** "CNY 4000.00" / "USD 150000.00" (how the domain writes money into traces) -> "¥4,000.00" / "US$150,000.00", anywhere in a text. */
export function formatMoneyIn(text: string): string {
  return text.replace(/\b(CNY|USD) (-?\d+(?:\.\d+)?)/g, (_m, currency: 'CNY' | 'USD', n: string) => formatMoney(n, currency));
}

/** China Standard Time: UTC+8 all year (no daylight saving since 1991), so the offset is a constant. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const ZONE_NAME: Record<Locale, string> = { 'zh-CN': '北京时间', en: 'Beijing time' };

/**
 * An instant (ISO 8601 with a zone, as the log stores it) in Beijing time with the zone named:
 * "2026-11-25T02:00:00.000Z" -> "2026-11-25 10:00 北京时间" (zh-CN) / "2026-11-25 10:00 Beijing time" (en).
 * A calendar date ("2026-11-25") has no time of day and is returned as it is; unreadable text as well.
 */
export function formatInstant(iso: string, locale: Locale = 'zh-CN'): string {
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso)) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const b = new Date(ms + BEIJING_OFFSET_MS).toISOString();
  return `${b.slice(0, 10)} ${b.slice(11, 16)} ${ZONE_NAME[locale]}`;
}
