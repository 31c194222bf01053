import { canonicalJson, deciderSpec, DomainError, InvalidCommand, type Decider, type DomainCommand, type DomainEvent } from './decider';

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
