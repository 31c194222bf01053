import { DEFAULT_LOCALE, LOCALES, parseLocale, type Locale } from '@cbec/domain';
import { CliUsageError } from './cli';

/** `--lang en` / `--lang zh-CN` (default zh-CN, docs/chinese.md): the language texts for people are rendered in. */
export function localeFlag(flags: Record<string, string>): Locale {
  if (flags.lang === undefined) return DEFAULT_LOCALE;
  const locale = parseLocale(flags.lang);
  if (locale === null) throw new CliUsageError(`--lang must be one of ${LOCALES.join(', ')}, got ${JSON.stringify(flags.lang)}`);
  return locale;
}
