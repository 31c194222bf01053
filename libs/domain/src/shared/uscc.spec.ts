import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidUscc, Uscc, usccCheckCharacter } from './uscc';

// Spec-only I/O: the sample customs statistics (synthetic, valid check characters) as a source of real codes.
const sampleCodes = [
  ...new Set(
    readFileSync(join(__dirname, '../../../../infra/data/customs-sample.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]),
  ),
];

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('Uscc (GB 32100-2015)', () => {
  it('accepts every code of infra/data/customs-sample.csv', () => {
    expect(sampleCodes.length).toBeGreaterThan(600);
    for (const code of sampleCodes) expect(Uscc.parse(code).value).toBe(code);
  });

  it('accepts a published code whose check character is a digit computed past M (91350100M000100Y43)', () => {
    expect(Uscc.isValid('91350100M000100Y43')).toBe(true);
  });

  it('refuses every single-character change of the check character', () => {
    for (const code of sampleCodes.slice(0, 50)) {
      for (const c of CHARSET) {
        if (c === code[17]) continue;
        expect(() => Uscc.parse(code.slice(0, 17) + c, 'beneficiary.uscc')).toThrow(/check character/);
      }
    }
  });

  it('refuses a code with one body character changed (the check character no longer fits)', () => {
    let caught = 0;
    for (const code of sampleCodes.slice(0, 100)) {
      for (const i of [0, 5, 9, 16]) {
        const replacement = CHARSET[(CHARSET.indexOf(code[i]) + 1) % CHARSET.length];
        const mutated = code.slice(0, i) + replacement + code.slice(i + 1);
        if (!/^[0-9]{6}$/.test(mutated.slice(2, 8))) continue;
        expect(Uscc.isValid(mutated)).toBe(false);
        caught++;
      }
    }
    expect(caught).toBeGreaterThan(300);
  });

  it('refuses two swapped adjacent characters when they differ', () => {
    const code = '91341500MA2010017C';
    const swapped = code.slice(0, 10) + code[11] + code[10] + code.slice(12);
    expect(Uscc.isValid(swapped)).toBe(false);
  });

  it.each<[string, unknown, RegExp]>([
    ['a number', 91341500, /must be an 18-character USCC string, got number/],
    ['17 characters', '91341500MA2010017', /has 17 characters/],
    ['19 characters', '91341500MA2010017CC', /has 19 characters/],
    ['lower case', '91341500ma2010017C', /"m" at position 9/],
    ['a letter I', '91341500IA2010017C', /"I" at position 9/],
  ])('refuses %s, naming the field', (_what, text, message) => {
    const attempt = () => Uscc.parse(text, 'claims.recruits[3]');
    expect(attempt).toThrow(InvalidUscc);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/^claims\.recruits\[3\]: /);
  });

  it('refuses a non-digit division code even with a fitting check character', () => {
    const first17 = '91A41500MA2010017';
    expect(() => Uscc.parse(first17 + usccCheckCharacter(first17))).toThrow(/characters 3-8/);
  });

  it('maps a check value of 31 to "0"', () => {
    // Find a body whose weighted sum is 0 mod 31: its check character is "0".
    const body = sampleCodes.map((c) => c.slice(0, 17)).find((b) => usccCheckCharacter(b) === '0');
    expect(body).toBeDefined();
    expect(Uscc.isValid(`${body}0`)).toBe(true);
  });

  it('exposes the division code and registration in the city', () => {
    const u = Uscc.parse('91341522MA20100253');
    expect(u.divisionCode).toBe('341522');
    expect(u.isRegisteredIn('3415')).toBe(true);
    expect(u.isRegisteredIn('3401')).toBe(false);
  });
});
