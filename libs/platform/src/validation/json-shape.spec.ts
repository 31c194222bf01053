import { assertJsonShape } from './json-shape';
import { MAX_JSON_ARRAY_ITEMS, MAX_JSON_DEPTH, MAX_JSON_KEY_LENGTH, MAX_JSON_KEYS, MAX_JSON_STRING_LENGTH } from './limits';
import { toProblem } from '../http/problem.filter';

/** The problem the API answers for a JSON text, as the body parser checks it (undefined: accepted). */
function problemFor(text: string) {
  try {
    assertJsonShape(JSON.parse(text), text);
  } catch (error) {
    return toProblem(error);
  }
  return undefined;
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('the JSON body shape check', () => {
  it('accepts a submission as the API documents it, Chinese names and an emoji included', () => {
    const submission = {
      program: 'P2a',
      year: 2019,
      beneficiary: { uscc: '91341500MA2010017C', kind: 'enterprise', name: '六安市跨境电商有限公司 🚀' },
      claims: { promotesOnThirdPartyPlatform: true, platformFeesCny: [{ amountCny: '120000.00', invoiceRef: 'INV-1' }, '3.00'] },
    };
    expect(problemFor(JSON.stringify(submission))).toBeUndefined();
  });

  it('accepts tabs and line breaks in a free text: a reason keeps its paragraphs', () => {
    expect(problemFor(JSON.stringify({ reason: '发票缺失\n\t第四季度\r\n请补交' }))).toBeUndefined();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} levels, naming where and the limit, even 10,000 deep`, () => {
    expect(problemFor(nested(MAX_JSON_DEPTH))).toBeUndefined();
    for (const depth of [MAX_JSON_DEPTH + 1, 10_000]) {
      const p = problemFor(nested(depth));
      expect(p).toMatchObject({ status: 400, code: 'invalid-request' });
      expect(p?.errors).toEqual([{ field: '[0]'.repeat(MAX_JSON_DEPTH), reason: expect.stringContaining(`${MAX_JSON_DEPTH} levels`), limit: MAX_JSON_DEPTH }]);
    }
    const inObject = problemFor(JSON.stringify({ claims: { a: JSON.parse(nested(MAX_JSON_DEPTH)) } }));
    expect(inObject?.errors?.[0]).toMatchObject({ field: `claims.a${'[0]'.repeat(MAX_JSON_DEPTH - 2)}`, limit: MAX_JSON_DEPTH });
  });

  it(`refuses an array of more than ${MAX_JSON_ARRAY_ITEMS} items, naming the field and the limit (40,000 fee items)`, () => {
    const fees = (n: number) => JSON.stringify({ claims: { platformFeesCny: Array.from({ length: n }, () => '1.00') } });
    expect(problemFor(fees(MAX_JSON_ARRAY_ITEMS))).toBeUndefined();
    const p = problemFor(fees(40_000));
    expect(p).toMatchObject({ status: 400, code: 'invalid-request' });
    expect(p?.detail).toBe(`invalid request: claims.platformFeesCny: must have at most ${MAX_JSON_ARRAY_ITEMS} items (it has 40000)`);
    expect(p?.errors).toEqual([
      { field: 'claims.platformFeesCny', reason: `must have at most ${MAX_JSON_ARRAY_ITEMS} items (it has 40000)`, limit: MAX_JSON_ARRAY_ITEMS },
    ]);
  });

  it('refuses a string longer than any field takes, an object of too many fields and a too long field name', () => {
    expect(problemFor(JSON.stringify({ note: 'x'.repeat(MAX_JSON_STRING_LENGTH) }))).toBeUndefined();
    expect(problemFor(JSON.stringify({ note: 'x'.repeat(MAX_JSON_STRING_LENGTH + 1) }))?.errors).toEqual([
      { field: 'note', reason: `must be at most ${MAX_JSON_STRING_LENGTH} characters long`, limit: MAX_JSON_STRING_LENGTH },
    ]);
    const wide = Object.fromEntries(Array.from({ length: MAX_JSON_KEYS + 1 }, (_, i) => [`k${i}`, i]));
    expect(problemFor(JSON.stringify({ claims: wide }))?.errors).toEqual([
      { field: 'claims', reason: `must have at most ${MAX_JSON_KEYS} fields (it has ${MAX_JSON_KEYS + 1})`, limit: MAX_JSON_KEYS },
    ]);
    expect(problemFor(JSON.stringify({ claims: { ['k'.repeat(MAX_JSON_KEY_LENGTH + 1)]: 1 } }))?.errors).toEqual([
      { field: 'claims', reason: `has a field name longer than ${MAX_JSON_KEY_LENGTH} characters`, limit: MAX_JSON_KEY_LENGTH },
    ]);
  });

  it('refuses a lone surrogate, escaped or raw, high or low, in a value or a field name, naming the field', () => {
    const p = problemFor('{"reason": "bad \\ud800 text"}');
    expect(p).toMatchObject({ status: 400, code: 'invalid-request' });
    expect(p?.errors).toEqual([{ field: 'reason', reason: expect.stringContaining('lone UTF-16 surrogate') }]);
    expect(problemFor('{"claims": {"platformFeesCny": [{"invoiceRef": "x\\udc00"}]}}')?.errors?.[0]).toMatchObject({
      field: 'claims.platformFeesCny[0].invoiceRef',
    });
    expect(problemFor('{"name": "ends high \\udbff"}')?.errors?.[0]).toMatchObject({ field: 'name' });
    expect(problemFor('{"name": "\ud800 raw"}')?.errors?.[0]).toMatchObject({ field: 'name' });
    expect(problemFor('{"beneficiary": {"\\ud800": 1}}')?.errors?.[0]).toMatchObject({
      field: 'beneficiary',
      reason: expect.stringMatching(/^has a field name that/),
    });
    // A pair written as two escapes is one character.
    expect(problemFor('{"name": "\\ud83d\\ude80"}')).toBeUndefined();
  });

  it('refuses NUL and the other control characters but TAB, LF and CR, naming the character', () => {
    expect(problemFor('{"paymentRef": "PAY\\u0000-1"}')?.errors).toEqual([{ field: 'paymentRef', reason: 'holds the control character U+0000' }]);
    expect(problemFor('{"reason": "\\u001b[2J"}')?.errors?.[0]).toMatchObject({ reason: 'holds the control character U+001B' });
    expect(problemFor('{"reason": "a\\b"}')?.errors?.[0]).toMatchObject({ reason: 'holds the control character U+0008' });
    expect(problemFor('{"reason": "del \u007f"}')?.errors?.[0]).toMatchObject({ reason: 'holds the control character U+007F' });
    expect(problemFor('{"reason": "c1 \u0085"}')?.errors?.[0]).toMatchObject({ reason: 'holds the control character U+0085' });
  });

  it('names the whole body when the body itself is too large an array', () => {
    expect(problemFor(JSON.stringify(Array.from({ length: MAX_JSON_ARRAY_ITEMS + 1 }, () => 0)))?.errors?.[0]).toMatchObject({ field: 'body' });
  });
});
