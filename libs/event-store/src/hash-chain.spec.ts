import fc from 'fast-check';
import { canonicalEnvelope, canonicalJson, computeEventHash, GENESIS_HASH, metadataForHash, referenceCanonicalize, sha256Hex } from './hash-chain';

describe('canonical JSON (RFC 8785)', () => {
  it('is byte-identical to the canonicalize package for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units and writes numbers the ECMAScript way', () => {
    const value = { b: [1e21, 0.1, -0, 1.5e-7], a: { '\u20ac': 1, '\r': 2, ö: 3, '😀': 4 }, c: 'é\u2028' };
    expect(canonicalJson(value)).toBe(referenceCanonicalize(value));
    expect(canonicalJson(value)).toBe('{"a":{"\\r":2,"ö":3,"€":1,"😀":4},"b":[1e+21,0.1,0,1.5e-7],"c":"é\u2028"}');
  });

  it('orders array-index-like keys and __proto__ like any other key', () => {
    const value = JSON.parse('{"10":1,"9":2,"a":{"2":[],"1":null},"__proto__":{"b":1,"a":2},"-1":3}') as unknown;
    expect(canonicalJson(value)).toBe(referenceCanonicalize(value));
    expect(canonicalJson(value)).toBe('{"-1":3,"10":1,"9":2,"__proto__":{"a":2,"b":1},"a":{"1":null,"2":[]}}');
  });

  it('keeps object shapes apart even when their keys join alike', () => {
    for (const value of [{ '': [] }, {}, { 'a\u0000': 1, b: 2 }, { a: 1, '\u0000b': 2 }, { 'a\u0000b': 3 }, { a: 4, b: 5 }]) {
      expect(canonicalJson(value)).toBe(referenceCanonicalize(value));
    }
  });

  it('refuses what JSON cannot carry faithfully, naming where', () => {
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow('$.amount: NaN is not valid JSON');
    expect(() => canonicalJson({ list: [1, Infinity] })).toThrow('$.list[1]: Infinity is not valid JSON');
    expect(() => canonicalJson({ n: 10n })).toThrow('$.n: a bigint is not JSON');
    expect(() => canonicalJson({ s: '\ud800' })).toThrow(/lone surrogate/);
  });
});

describe('event hash', () => {
  const fields = {
    streamId: 'application-1',
    version: 0,
    eventId: '0b7c2f4e-8f0a-4a4e-9a51-3f1d2c3b4a59',
    type: 'ApplicationSubmitted',
    schemaVersion: 1,
    data: { amountMinor: '1200000', program: 'P1' },
    metadata: { correlationId: 'c', causationId: null, actor: { user: 'u', unit: 'COM', role: 'clerk' } },
    prevHash: GENESIS_HASH,
  };

  it('is the SHA-256 of the canonical JSON of the whole hashed envelope', () => {
    const envelope = canonicalEnvelope(fields, canonicalJson(fields.data), canonicalJson(fields.metadata));
    expect(envelope).toBe(referenceCanonicalize(fields));
    expect(computeEventHash(fields)).toBe(sha256Hex(referenceCanonicalize(fields)!));
  });

  it('changes when any hashed field changes, and not with key order', () => {
    const base = computeEventHash(fields);
    expect(computeEventHash({ ...fields, data: { program: 'P1', amountMinor: '1200000' } })).toBe(base);
    for (const changed of [
      { version: 1 },
      { streamId: 'application-2' },
      { eventId: '1b7c2f4e-8f0a-4a4e-9a51-3f1d2c3b4a59' },
      { type: 'ApplicationWithdrawn' },
      { schemaVersion: 2 },
      { data: { amountMinor: '1200001', program: 'P1' } },
      { metadata: { ...fields.metadata, correlationId: 'd' } },
      { prevHash: 'f'.repeat(64) },
    ]) {
      expect(computeEventHash({ ...fields, ...changed })).not.toBe(base);
    }
  });

  it('leaves the chain fields out of the hashed metadata', () => {
    expect(metadataForHash({ a: 1, prevHash: 'x', hash: 'y' })).toEqual({ a: 1 });
  });
});
