import { canonicalJson, deciderSpec, DomainError, InvalidCommand, requireJsonObject, type Decider, type DomainCommand, type DomainEvent } from './decider';

type Cmd = DomainCommand<'Add', { n: number }>;
type Evt = DomainEvent<'Added', { n: number }>;
class TooBig extends DomainError {
  readonly code = 'too-big';
  readonly httpStatus = 422;
  constructor(readonly limit: number) {
    super(`over ${limit}`);
  }
}
const counter: Decider<Cmd, Evt, number> = {
  initialState: () => 0,
  evolve: (s, e) => s + e.data.n,
  decide: (c, s) => {
    if (s + c.data.n > 10) throw new TooBig(10);
    return [{ type: 'Added', data: { n: c.data.n } }];
  },
};
const given = deciderSpec(counter);
const add = (n: number): Cmd => ({ type: 'Add', data: { n } });

describe('the decider spec helper (given/when/then)', () => {
  it('passes on the expected events and returns the state after them', () => {
    expect(
      given([{ type: 'Added', data: { n: 4 } }])
        .when(add(3))
        .then([{ type: 'Added', data: { n: 3 } }]),
    ).toBe(7);
  });

  it('fails when the events differ', () => {
    expect(() =>
      given([])
        .when(add(3))
        .then([{ type: 'Added', data: { n: 2 } }]),
    ).toThrow(/decided/);
  });

  it('fails when events were expected but the command was refused', () => {
    expect(() =>
      given([{ type: 'Added', data: { n: 9 } }])
        .when(add(3))
        .then([]),
    ).toThrow(/refused: TooBig/);
  });

  it('passes on the expected refusal and checks its fields', () => {
    given([{ type: 'Added', data: { n: 9 } }])
      .when(add(3))
      .thenThrows(TooBig, { code: 'too-big', limit: 10 });
    given([{ type: 'Added', data: { n: 9 } }])
      .when(add(3))
      .then(TooBig);
  });

  it('fails when a refusal was expected but events were decided, or another error or field came', () => {
    expect(() => given([]).when(add(3)).thenThrows(TooBig)).toThrow(/to be refused with TooBig/);
    expect(() =>
      given([{ type: 'Added', data: { n: 9 } }])
        .when(add(3))
        .thenThrows(InvalidCommand),
    ).toThrow(/got TooBig/);
    expect(() =>
      given([{ type: 'Added', data: { n: 9 } }])
        .when(add(3))
        .thenThrows(TooBig, { limit: 11 }),
    ).toThrow(/limit/);
  });

  it('every domain error carries its class name, a kebab-case code and an HTTP status', () => {
    const e = new TooBig(10);
    expect(e).toBeInstanceOf(DomainError);
    expect([e.name, e.code, e.httpStatus]).toEqual(['TooBig', 'too-big', 422]);
  });

  it('compares JSON regardless of key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[1,{"e":2,"f":1}]},"b":1}');
  });
});

describe('requireJsonObject', () => {
  const refusal = (value: unknown): { field: string; detail: string } => {
    try {
      requireJsonObject(value, 'claims');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidCommand);
      return { field: (e as InvalidCommand).field, detail: (e as InvalidCommand).detail };
    }
    throw new Error('expected a refusal');
  };

  it('copies a plain object of JSON values', () => {
    const value = { a: [1, 'x', null, { b: true }], c: { d: 2.5 } };
    const copy = requireJsonObject(value, 'claims');
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
  });

  it('names the nested value that is not JSON by its path', () => {
    expect(refusal({ a: [1, { b: Number.NaN }] })).toEqual({ field: 'claims.a[1].b', detail: 'must be a finite number' });
    expect(refusal({ fees: [{ at: new Date(0) }] })).toEqual({ field: 'claims.fees[0].at', detail: 'is not a JSON value (object)' });
    expect(refusal({ x: { y: undefined } })).toEqual({ field: 'claims.x.y', detail: 'is not a JSON value (undefined)' });
    expect(refusal([])).toEqual({ field: 'claims', detail: 'must be an object' });
  });

  it('lets an array hole through, as JSON writes it (null)', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(requireJsonObject({ a: [1, , 3] }, 'claims')).toEqual({ a: [1, null, 3] });
  });
});
