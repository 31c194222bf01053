import { formatInstant, formatMoney, formatMoneyIn } from './format';
import { localeFromAcceptLanguage, parseLocale } from './locale';

describe('amounts for people', () => {
  it('groups yuan by thousands with the ¥ sign, keeping the fen', () => {
    expect(formatMoney('1234567.89')).toBe('¥1,234,567.89');
    expect(formatMoney('100000.00', 'CNY')).toBe('¥100,000.00');
    expect(formatMoney('0.01')).toBe('¥0.01');
    expect(formatMoney('999.00')).toBe('¥999.00');
  });

  it('writes US dollars (customs statistics) as US$', () => {
    expect(formatMoney('1099900.00', 'USD')).toBe('US$1,099,900.00');
  });

  it('keeps a negative sign in front and leaves what is not a decimal as it is', () => {
    expect(formatMoney('-5000.00')).toBe('-¥5,000.00');
    expect(formatMoney('n/a')).toBe('n/a');
  });

  it('formats the money the domain writes into trace text ("CNY 4000.00", "USD 149999.99")', () => {
    expect(formatMoneyIn('2 x CNY 2000.00')).toBe('2 x ¥2,000.00');
    expect(formatMoneyIn('increment = USD 349999.99 - USD 200000.00')).toBe('increment = US$349,999.99 - US$200,000.00');
  });
});

describe('times for people', () => {
  it('shows an instant in Beijing time (UTC+8) with the zone named', () => {
    expect(formatInstant('2026-11-25T02:00:00.000Z')).toBe('2026-11-25 10:00 北京时间');
    expect(formatInstant('2026-11-25T02:00:00.000Z', 'en')).toBe('2026-11-25 10:00 Beijing time');
  });

  it('moves an evening in UTC to the next day in Beijing', () => {
    expect(formatInstant('2019-12-31T16:30:00Z')).toBe('2020-01-01 00:30 北京时间');
  });

  it('reads an instant given with another offset', () => {
    expect(formatInstant('2026-11-25T10:00:00+08:00')).toBe('2026-11-25 10:00 北京时间');
  });

  it('leaves a calendar date (no time of day) and unreadable text as they are', () => {
    expect(formatInstant('2026-12-09')).toBe('2026-12-09');
    expect(formatInstant('2026-13-99Tnonsense')).toBe('2026-13-99Tnonsense');
  });
});

describe('the reader’s language', () => {
  it('is Chinese unless the request prefers English', () => {
    expect(localeFromAcceptLanguage(undefined)).toBe('zh-CN');
    expect(localeFromAcceptLanguage('')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('en')).toBe('en');
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(localeFromAcceptLanguage('fr-FR, en;q=0.5')).toBe('en');
    expect(localeFromAcceptLanguage('de')).toBe('zh-CN');
  });

  it('honours the weights, not the order', () => {
    expect(localeFromAcceptLanguage('zh;q=0.2, en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('en;q=0, zh')).toBe('zh-CN');
  });

  it('parses the CLI flag, refusing what it does not render', () => {
    expect(parseLocale('en')).toBe('en');
    expect(parseLocale('zh-CN')).toBe('zh-CN');
    expect(parseLocale('fr')).toBeNull();
  });
});
