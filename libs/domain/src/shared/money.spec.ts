import { InvalidMoney, Money } from './money';

describe('Money', () => {
  describe('parsing refuses what is not an exact amount, naming the field', () => {
    it.each<[string, unknown, RegExp]>([
      ['a JSON number', 50000, /must be a decimal string.*got number/],
      ['null', null, /got null/],
      ['a negative amount', '-1.00', /must not be negative/],
      ['NaN', 'NaN', /not a decimal amount/],
      ['an exponent form', '5e4', /not a decimal amount/],
      ['three decimals', '1.005', /more than two decimals/],
      ['an empty string', '', /not a decimal amount/],
      ['a leading space', ' 1.00', /not a decimal amount/],
      ['a thousands separator', '50,000.00', /not a decimal amount/],
      ['a trailing dot', '1.', /not a decimal amount/],
      ['a leading dot', '.5', /not a decimal amount/],
      ['a leading zero', '01.00', /not a decimal amount/],
      ['Infinity', 'Infinity', /not a decimal amount/],
    ])('refuses %s', (_what, value, message) => {
      const attempt = () => Money.parse(value, 'CNY', 'claims.investmentCny');
      expect(attempt).toThrow(InvalidMoney);
      expect(attempt).toThrow(message);
      try {
        attempt();
      } catch (e) {
        expect((e as InvalidMoney).field).toBe('claims.investmentCny');
        expect((e as InvalidMoney).code).toBe('invalid-money');
      }
    });

    it('refuses more than 40 digits before the point before reading them, and quotes a long text by its beginning', () => {
      const huge = '9'.repeat(2_000_000);
      expect(() => Money.parse(huge, 'CNY', 'amountCny')).toThrow('amountCny: has more than 40 digits before the point: no amount is that large');
      expect(() => Money.parse(`${'9'.repeat(40)}.99`, 'CNY')).not.toThrow();
      expect(() => Money.parse('x'.repeat(100), 'CNY', 'amountCny')).toThrow(`amountCny: "${'x'.repeat(40)}…" (100 characters) is not a decimal amount`);
    });

    it.each([
      ['50000', 5000000n],
      ['50000.5', 5000050n],
      ['50000.00', 5000000n],
      ['0', 0n],
      ['0.01', 1n],
      ['123456789012345678.99', 12345678901234567899n],
    ])('reads "%s" as %s minor units', (text, minor) => {
      expect(Money.parse(text, 'USD').minor).toBe(minor);
    });

    it('prints two decimals', () => {
      expect(Money.cny('50000').toString()).toBe('50000.00');
      expect(Money.cny('0.05').toString()).toBe('0.05');
      expect(JSON.stringify({ a: Money.usd('1.5') })).toBe('{"a":"1.50"}');
    });
  });

  describe('arithmetic is exact and in one currency', () => {
    it('adds and subtracts in integers', () => {
      expect(Money.cny('0.10').add(Money.cny('0.20')).toString()).toBe('0.30');
      expect(Money.cny('100000.00').sub(Money.cny('0.01')).toString()).toBe('99999.99');
    });

    it('refuses a negative result and mixed currencies', () => {
      expect(() => Money.cny('1.00').sub(Money.cny('1.01'))).toThrow(RangeError);
      expect(() => Money.cny('1.00').add(Money.usd('1.00'))).toThrow(TypeError);
      expect(Money.cny('1.00').subOrZero(Money.cny('5.00')).isZero()).toBe(true);
    });

    it('compares, including equality at the boundary', () => {
      const a = Money.usd('50000.00');
      expect(a.gte(Money.usd('50000.00'))).toBe(true);
      expect(Money.usd('49999.99').gte(a)).toBe(false);
      expect(a.lte(Money.usd('50000.00'))).toBe(true);
      expect(a.min(Money.usd('1.00')).toString()).toBe('1.00');
    });
  });

  describe('percentFloor rounds down to the fen', () => {
    it.each([
      ['150000.00', 70, '105000.00'],
      ['0.01', 70, '0.00'],
      ['0.02', 70, '0.01'],
      ['12345.67', 70, '8641.96'], // 864196.9 fen -> 864196
      ['12345.67', 40, '4938.26'], // 493826.8 fen -> 493826
      ['600000.00', 40, '240000.00'],
    ])('%s x %s%% = %s', (amount, percent, expected) => {
      expect(Money.cny(amount).percentFloor(percent).toString()).toBe(expected);
    });
  });

  describe('wholeSteps counts whole steps only', () => {
    const step = Money.usd('50000.00');
    it.each([
      ['149999.99', 2n],
      ['150000.00', 3n],
      ['49999.99', 0n],
      ['0.00', 0n],
    ])('US$%s holds %s whole US$50,000 steps', (amount, steps) => {
      expect(Money.usd(amount).wholeSteps(step)).toBe(steps);
    });

    it('refuses a zero step', () => {
      expect(() => Money.usd('1.00').wholeSteps(Money.usd('0.00'))).toThrow(RangeError);
    });
  });
});
