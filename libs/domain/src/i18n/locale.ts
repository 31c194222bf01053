/** The languages the system renders for people: Simplified Chinese first (the users), English beside it. */
export type Locale = 'zh-CN' | 'en';

export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/**
 * The locale an `Accept-Language` header (RFC 9110 12.5.4) asks for: the highest-weighted range we
 * render, `zh-CN` when none matches or the header is absent. `en`, `en-US`, ... -> `en`; `zh`, `zh-*` -> `zh-CN`.
 */
export function localeFromAcceptLanguage(header: string | readonly string[] | undefined | null): Locale {
  const text = Array.isArray(header) ? header.join(',') : ((header as string | undefined | null) ?? '');
  const ranges = text
    .split(',')
    .map((part, index) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { range: range.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((r) => r.range !== '' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { range } of ranges) {
    if (range === 'zh' || range.startsWith('zh-') || range === '*') return 'zh-CN';
    if (range === 'en' || range.startsWith('en-')) return 'en';
  }
  return DEFAULT_LOCALE;
}

/** `--lang en` / `--lang zh-CN` of the CLI; anything else is refused by the caller with this list. */
export function parseLocale(text: string): Locale | null {
  const t = text.trim().toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh' || t === 'zh-cn' || t.startsWith('zh-')) return 'zh-CN';
  return null;
}
