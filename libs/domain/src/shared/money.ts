/**
 * Exact money (docs/policy.md, "Money is exact"): integers of cents (USD, customs statistics) or fen
 * (CNY, fees, investments, awards). No floating point between input and ledger.
 */
export type Currency = 'CNY' | 'USD';

/** Thrown for any money text the system refuses; `field` names the input that carried it. */
export class InvalidMoney extends Error {
  readonly code = 'invalid-money';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'InvalidMoney';
  }
}

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

/**
 * The most digits before the point a money text may have: 40, far beyond any amount (the limits of
 * shared/amount-limits.ts have 12 or 13), so that an amount above a limit is still read and refused by
 * name (422 `amount-above-limit`), while a text of a million digits is refused here, before its
 * conversion to a number (quadratic in its length: ~0.4 s for 2 million digits).
 */
export const MAX_MONEY_DIGITS = 40;

/** The text as a refusal shows it: whole when short, its beginning and length when long. */
function quoted(value: string): string {
  return value.length <= 60 ? `"${value}"` : `"${value.slice(0, 40)}…" (${value.length} characters)`;
}

export class Money {
  private constructor(
    /** Integer count of cents/fen. Never negative. */
    readonly minor: bigint,
    readonly currency: Currency,
  ) {}

  /**
   * Parses a decimal string with at most two decimals ("50000", "50000.5", "50000.00").
   * Refuses JSON numbers, negatives, NaN, exponent forms, thousands separators and a third decimal.
   */
  static parse(value: unknown, currency: Currency, field = 'amount'): Money {
    if (typeof value !== 'string') {
      throw new InvalidMoney(field, `must be a decimal string such as "50000.00", got ${value === null ? 'null' : typeof value}`);
    }
    const point = value.indexOf('.');
    if ((point < 0 ? value.length : point) > MAX_MONEY_DIGITS && /^[0-9]/.test(value)) {
      throw new InvalidMoney(field, `has more than ${MAX_MONEY_DIGITS} digits before the point: no amount is that large`);
    }
    if (!DECIMAL.test(value)) {
      const why = value.startsWith('-')
        ? 'must not be negative'
        : /\.[0-9]{3,}$/.test(value)
          ? 'has more than two decimals'
          : 'is not a decimal amount with at most two decimals';
      throw new InvalidMoney(field, `${quoted(value)} ${why}`);
    }
    const [whole, frac = ''] = value.split('.');
    return new Money(BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0') || '0'), currency);
  }

  static ofMinor(minor: bigint | number, currency: Currency): Money {
    const m = typeof minor === 'number' ? BigInt(minor) : minor;
    if (m < 0n) throw new InvalidMoney('amount', `negative amount ${m} ${currency}`);
    return new Money(m, currency);
  }

  static zero(currency: Currency): Money {
    return new Money(0n, currency);
  }

  static cny(text: string): Money {
    return Money.parse(text, 'CNY');
  }

  static usd(text: string): Money {
    return Money.parse(text, 'USD');
  }

  add(other: Money): Money {
    this.same(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  /** Subtraction never goes below zero silently: a negative result is a programming error. */
  sub(other: Money): Money {
    this.same(other);
    if (other.minor > this.minor) {
      throw new RangeError(`${this.toString()} - ${other.toString()} ${this.currency} would be negative`);
    }
    return new Money(this.minor - other.minor, this.currency);
  }

  /** this - other, or zero when other is larger (room left under a cap). */
  subOrZero(other: Money): Money {
    this.same(other);
    return other.minor >= this.minor ? Money.zero(this.currency) : new Money(this.minor - other.minor, this.currency);
  }

  /** Applies `numerator/denominator` (e.g. 70/100) rounding down to the fen (docs/policy.md). */
  mulRatioFloor(numerator: bigint | number, denominator: bigint | number): Money {
    const n = BigInt(numerator);
    const d = BigInt(denominator);
    if (n < 0n || d <= 0n) throw new RangeError(`bad ratio ${n}/${d}`);
    return new Money((this.minor * n) / d, this.currency);
  }

  /** Percentage given as an integer number of percent (70 -> 70%), rounded down to the fen. */
  percentFloor(percent: bigint | number): Money {
    return this.mulRatioFloor(percent, 100);
  }

  /** Percentage rounded half up to the fen (a policy may read 精确到分 so). */
  percentHalfUp(percent: bigint | number): Money {
    const n = BigInt(percent);
    if (n < 0n) throw new RangeError(`bad percent ${n}`);
    return new Money((this.minor * n * 2n + 100n) / 200n, this.currency);
  }

  times(factor: bigint | number): Money {
    const f = BigInt(factor);
    if (f < 0n) throw new RangeError(`negative factor ${f}`);
    return new Money(this.minor * f, this.currency);
  }

  /** How many whole `step`s fit in this amount (docs/policy.md: "per US$50,000" counts whole steps). */
  wholeSteps(step: Money): bigint {
    this.same(step);
    if (step.minor === 0n) throw new RangeError('step must be positive');
    return this.minor / step.minor;
  }

  min(other: Money): Money {
    this.same(other);
    return other.minor < this.minor ? other : this;
  }

  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    return this.minor < other.minor ? -1 : this.minor > other.minor ? 1 : 0;
  }

  gte(other: Money): boolean {
    return this.compare(other) >= 0;
  }
  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }
  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }
  lt(other: Money): boolean {
    return this.compare(other) < 0;
  }
  equals(other: Money): boolean {
    return this.currency === other.currency && this.minor === other.minor;
  }
  isZero(): boolean {
    return this.minor === 0n;
  }

  /** "50000.00": the wire format of docs/api.md. */
  toString(): string {
    const s = this.minor.toString().padStart(3, '0');
    return `${s.slice(0, -2)}.${s.slice(-2)}`;
  }

  toJSON(): string {
    return this.toString();
  }

  private same(other: Money): void {
    if (other.currency !== this.currency) {
      throw new TypeError(`currency mismatch: ${this.currency} vs ${other.currency}`);
    }
  }
}
