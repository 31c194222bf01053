import { csvCell, neutraliseCsvFormula, toCsv } from './csv';

describe('a CSV cell the system writes', () => {
  it.each([
    ['=HYPERLINK("http://x","点击")', `"'=HYPERLINK(""http://x"",""点击"")"`],
    ['+cmd|/C calc!A0', `'+cmd|/C calc!A0`],
    ['-2+3+cmd|/C calc!A0', `'-2+3+cmd|/C calc!A0`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `"'\r=1+1"`],
    ['-', `'-`],
    ['- 5', `'- 5`],
  ])('writes the text %j, which a spreadsheet would run, as text: %s', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each([
    ['-1500.00', '-1500.00'],
    ['+3', '+3'],
    [-42, '-42'],
    ['0.00', '0.00'],
    ['六安市企业', '六安市企业'],
    ['a=b', 'a=b'],
    ["it's", "it's"],
  ])('leaves %j as it is: a number stays a number, text without a formula start stays text', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('quotes a comma, quote or line break (RFC 4180), and writes null as empty', () => {
    expect(csvCell('x,y')).toBe('"x,y"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('neutralises header and rows alike in a whole file', () => {
    expect(toCsv([{ name: '=1+1', amount: '-5.00' }])).toBe("name,amount\r\n'=1+1,-5.00\r\n");
    expect(neutraliseCsvFormula('=x')).toBe("'=x");
  });
});
