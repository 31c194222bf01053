import { paramText, type TraceStep } from '../shared/trace';
import { untranslated } from './catalogue';
import { formatMoneyIn } from './format';
import type { Locale } from './locale';
import { TRACE_TEXTS, type TraceParams } from './trace-texts';

/** A trace step as people read it: `step` and `value` in the reader's language, money as ¥ / US$. */
export interface RenderedTraceStep {
  step: string;
  value: string;
  source?: string;
  code: string;
  params: TraceParams;
  clause?: string;
}

const CLAUSE: Record<Locale, string> = { 'zh-CN': '条款', en: 'clause' };
const SOURCE: Record<Locale, string> = { 'zh-CN': '来源', en: 'source' };

/**
 * The steps stored as text whose words were fixed (evaluate.ts wrote them the same way every time): read
 * as their codes, so a reader that looks for the amount before caps or the award finds it in old traces too.
 */
const KNOWN_SHAPES: ReadonlyArray<(step: string, value: string) => Pick<TraceStep, 'code' | 'params'> | null> = [
  (step, value) => (step === 'computed by the clause, before caps' ? { code: 'computed-before-caps', params: { amount: value } } : null),
  (step, value) => (step === 'not eligible' ? { code: 'not-eligible', params: { reasons: value } } : null),
  (step, value) => {
    const m = /^award(?: \((.+) applied\))?$/.exec(step);
    return m ? { code: 'award', params: { amount: value, cap: m[1] ?? null } } : null;
  },
];

/**
 * Reads a trace step as the log stored it. A step stored before steps carried codes is
 * `{ step, value, source? }` text: it reads as code `legacy-text` with that text as its parameters (or, for
 * the few fixed shapes above, as their code), so every reader renders old and new traces alike (the stored
 * event is never rewritten).
 */
export function readTraceStep(stored: unknown): TraceStep {
  const s = (stored ?? {}) as Partial<TraceStep> & Record<string, unknown>;
  const source = typeof s.source === 'string' ? s.source : undefined;
  const clause = typeof s.clause === 'string' ? s.clause : undefined;
  if (typeof s.code === 'string' && s.params !== null && typeof s.params === 'object') {
    return {
      step: String(s.step ?? ''),
      value: String(s.value ?? ''),
      ...(source === undefined ? {} : { source }),
      code: s.code,
      params: s.params,
      ...(clause === undefined ? {} : { clause }),
    };
  }
  const step = typeof s.step === 'string' ? s.step : JSON.stringify(stored);
  const value = typeof s.value === 'string' ? s.value : '';
  const known = KNOWN_SHAPES.map((shape) => shape(step, value)).find((k) => k !== null) ?? { code: 'legacy-text', params: { step, value } };
  return { step, value, ...(source === undefined ? {} : { source }), ...known };
}

/** One step in `locale` (zh-CN by default): the catalogue's words, money for people; an unknown code shows marked. */
export function renderTraceStep(stored: unknown, locale: Locale = 'zh-CN'): RenderedTraceStep {
  const t = readTraceStep(stored);
  const template = Object.hasOwn(TRACE_TEXTS, t.code) ? TRACE_TEXTS[t.code][locale] : undefined;
  const words = template
    ? template((key) => formatMoneyIn(paramText(t.params, key)), t.params, locale)
    : { step: `${untranslated(t.code, locale)} ${formatMoneyIn(t.step)}`.trimEnd(), value: formatMoneyIn(t.value) };
  return {
    step: words.step,
    value: words.value,
    ...(t.source === undefined ? {} : { source: t.source }),
    code: t.code,
    params: t.params,
    ...(t.clause === undefined ? {} : { clause: t.clause }),
  };
}

export function renderTrace(stored: readonly unknown[] | null | undefined, locale: Locale = 'zh-CN'): RenderedTraceStep[] {
  return (stored ?? []).map((s) => renderTraceStep(s, locale));
}

/** One line of text: `step = value（条款 四（二）；来源 customs-event:…）`, as the CLI, the bundle and the CSV print it. */
export function traceLine(stored: unknown, locale: Locale = 'zh-CN'): string {
  const r = renderTraceStep(stored, locale);
  const notes = [r.clause === undefined ? null : `${CLAUSE[locale]} ${r.clause}`, r.source === undefined ? null : `${SOURCE[locale]} ${r.source}`].filter(
    (n): n is string => n !== null,
  );
  const tail = notes.length === 0 ? '' : locale === 'en' ? ` (${notes.join('; ')})` : `（${notes.join('；')}）`;
  return `${r.step} = ${r.value}${tail}`;
}

/** The whole trace as text, one numbered line per step. */
export function traceText(stored: readonly unknown[] | null | undefined, locale: Locale = 'zh-CN'): string[] {
  return (stored ?? []).map((s, i) => `${i + 1}. ${traceLine(s, locale)}`);
}
