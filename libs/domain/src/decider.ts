import { getPolicy, type Policy } from './policy/policy';
import { parseProgramId, type ProgramId } from './policy/programs';
import { type AmountLimit } from './shared/amount-limits';
import { type Currency, InvalidMoney, Money } from './shared/money';
import { InvalidUscc, Uscc } from './shared/uscc';

/**
 * The shape every aggregate of the domain takes (emmett style): a pure `decide(command, state) -> events`
 * that either returns the events a command causes or throws a typed `DomainError`, and a pure
 * `evolve(state, event) -> state` that folds the stream. No clock, no ids, no I/O: times and ids are
 * fields of the commands.
 */

/** A stored domain event: `type` equals the TypeScript type name; `data` is JSON-safe. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/** A command: imperative `type`, JSON-safe `data` (money as decimal strings, dates as ISO strings). */
export interface DomainCommand<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<C extends DomainCommand, E extends DomainEvent, S> {
  /** Throws a `DomainError` when the command is not allowed in `state`. */
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  /**
   * Optional: folds many events at once, equal to evolving them one by one, for a state whose `evolve`
   * must copy what grows with the stream (customs: O(n) for n events where one by one is O(n²)).
   */
  fold?(state: S, events: readonly E[]): S;
  initialState(): S;
}

/** JSON-safe values (what event data may hold). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Folds events from the initial state. */
export function evolveAll<C extends DomainCommand, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  events: readonly E[],
  from: S = decider.initialState(),
): S {
  return decider.fold ? decider.fold(from, events) : events.reduce((state, event) => decider.evolve(state, event), from);
}

/** Decides and folds: the events a command causes and the state after them. */
export function handle<C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>, state: S, command: C): { events: E[]; state: S } {
  const events = decider.decide(command, state);
  return { events, state: evolveAll(decider, events, state) };
}

// ---------------------------------------------------------------------------------------------------
// Refusals. Every refusal is a typed DomainError with a stable kebab-case `code`; the HTTP layer maps
// `httpStatus` (400 malformed command, 404 no such aggregate, 409 conflict with the current state, 422 refused by
// the rules).

export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: 400 | 403 | 404 | 409 | 422;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is not allowed in the aggregate's current status (e.g. approving a returned case). */
export class InvalidTransition extends DomainError {
  readonly code = 'invalid-transition';
  readonly httpStatus = 409;
  constructor(
    readonly aggregate: string,
    readonly status: string,
    readonly command: string,
    detail?: string,
  ) {
    super(`${command} is not allowed on ${aggregate} in status "${status}"${detail ? `: ${detail}` : ''}`);
  }
}

/** A command whose data is malformed or inconsistent; `field` names what is wrong. */
export class InvalidCommand extends DomainError {
  readonly code = 'invalid-command';
  readonly httpStatus = 400;
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** One amount above its limit: the field that carried it, the amount, the limit (docs/limits.md, "Amounts"). */
export interface AmountOverLimit {
  field: string;
  amount: string;
  limit: string;
  currency: Currency;
  limitName: string;
  reason: string;
}

/**
 * Amounts above the system's limits (shared/amount-limits.ts): nothing is stored. `field`, `amount`,
 * `limit`, `currency` and `limitName` are those of the first; `errors` lists every one.
 */
export class AmountAboveLimit extends DomainError {
  readonly code = 'amount-above-limit';
  readonly httpStatus = 422;
  readonly field: string;
  readonly amount: string;
  readonly limit: string;
  readonly currency: Currency;
  readonly limitName: string;
  readonly errors: AmountOverLimit[];
  constructor(violations: readonly AmountOverLimit[]) {
    const [first] = violations;
    super(`${first.field}: ${first.reason}${violations.length > 1 ? ` (and ${violations.length - 1} more amount(s) above their limit)` : ''}`);
    this.field = first.field;
    this.amount = first.amount;
    this.limit = first.limit;
    this.currency = first.currency;
    this.limitName = first.limitName;
    this.errors = violations.map((v) => ({ ...v }));
  }
}

/**
 * The violation of `limit` by `amount` in `field`, or null when within it. `subject` says what was measured
 * when it is not the field's own amount (a total: "the fees together come to").
 */
export function amountOverLimit(field: string, amount: Money, limit: AmountLimit, subject?: string): AmountOverLimit | null {
  if (amount.lte(limit.max)) return null;
  const currency = amount.currency;
  return {
    field,
    amount: amount.toString(),
    limit: limit.max.toString(),
    currency,
    limitName: limit.name,
    reason: `${subject ? `${subject} ${amount.toString()} ${currency}, which is` : `${amount.toString()} ${currency} is`} above the limit of ${limit.max.toString()} ${currency} for ${limit.appliesTo}`,
  };
}

/** Refuses `amount` above `limit` (422 `amount-above-limit`, naming `field` and the limit). */
export function requireWithinLimit(field: string, amount: Money, limit: AmountLimit): Money {
  const over = amountOverLimit(field, amount, limit);
  if (over) throw new AmountAboveLimit([over]);
  return amount;
}

/**
 * An id already used by an earlier, DIFFERENT command (e.g. a reservationId reused with another
 * amount). An identical repeat is not an error: it decides `[]` (see `isIdempotentRepeat`).
 */
export class IdConflict extends DomainError {
  readonly code = 'id-conflict';
  readonly httpStatus = 409;
  constructor(
    readonly idField: string,
    readonly id: string,
    detail: string,
  ) {
    super(`${idField} "${id}" was already used by a different command: ${detail}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// Small validators shared by the deciders (commands come from the outside: validate, name the field).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The policy version a command names (absent: the current one); an unknown one is an invalid command. */
export function policyOf(version: string | undefined): Policy {
  try {
    return getPolicy(version);
  } catch (error) {
    throw new InvalidCommand('policyVersion', (error as Error).message);
  }
}

export function programOf(text: unknown): ProgramId {
  try {
    return parseProgramId(text, 'program');
  } catch (error) {
    throw new InvalidCommand('program', (error as Error).message);
  }
}

export function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidCommand(field, 'must be a non-empty string');
  }
  return value;
}

/** A CNY amount as a decimal string ("50000.00"); a number, a negative or a third decimal is refused. */
export function requireCny(value: unknown, field: string): Money {
  return requireMoney(value, 'CNY', field);
}

export function requireUsd(value: unknown, field: string): Money {
  return requireMoney(value, 'USD', field);
}

function requireMoney(value: unknown, currency: 'CNY' | 'USD', field: string): Money {
  try {
    return Money.parse(value, currency, field);
  } catch (error) {
    throw new InvalidCommand(field, (error as InvalidMoney).detail ?? (error as Error).message);
  }
}

/** A USCC with a valid GB 32100-2015 check character; returns its canonical text. */
export function requireUscc(value: unknown, field: string): string {
  try {
    return Uscc.parse(value, field).value;
  } catch (error) {
    throw new InvalidCommand(field, (error as InvalidUscc).detail ?? (error as Error).message);
  }
}

/** A plain object of JSON values only (what may be stored in an event). */
export function requireJsonObject(value: unknown, field: string): { [key: string]: Json } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidCommand(field, 'must be an object');
  }
  // The path to the value being checked, spelled out only for an error (every claim is checked on every
  // submission; building each path as a string cost more than the checks).
  const path: Array<string | number> = [];
  const where = (): string => field + path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  const check = (v: unknown): void => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InvalidCommand(where(), 'must be a finite number');
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) continue; // a hole, as forEach skipped it (JSON writes null)
        path.push(i);
        check(v[i]);
        path.pop();
      }
      return;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const key of Object.keys(v)) {
        path.push(key);
        check((v as Record<string, unknown>)[key]);
        path.pop();
      }
      return;
    }
    throw new InvalidCommand(where(), `is not a JSON value (${typeof v})`);
  };
  check(value);
  return JSON.parse(JSON.stringify(value)) as { [key: string]: Json };
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function requireIsoDate(value: unknown, field: string): string {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!m) throw new InvalidCommand(field, `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (mo < 1 || mo > 12 || d < 1 || d > days[mo - 1]) {
    throw new InvalidCommand(field, `"${value as string}" is not a calendar date`);
  }
  return value as string;
}

/** An award year (calendar year): an integer in a sane range. */
export function requireYear(value: unknown, field = 'year'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2000 || value > 2100) {
    throw new InvalidCommand(field, `must be an integer year between 2000 and 2100, got ${JSON.stringify(value)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Specifications: given(events).when(command).then(events | ErrorClass). Framework-free (throws an
// Error with both sides printed), so it works under jest, fast-check or a plain script.

type ErrorClass = abstract new (...args: never[]) => Error;

export interface DeciderSpecThen<E, S> {
  /** Expects exactly these events, or a refusal of this error class (and, optionally, these fields). */
  then(expected: readonly E[] | ErrorClass, fields?: Record<string, unknown>): S;
  /** Expects a refusal: the error class and, optionally, some of its fields (e.g. `{ code: 'cap-exceeded' }`). */
  thenThrows(errorClass: ErrorClass, fields?: Record<string, unknown>): Error;
  /** Returns what decide produced (events) for custom assertions. */
  events(): E[];
}

export interface DeciderSpec<C, E, S> {
  when(command: C): DeciderSpecThen<E, S>;
}

/** Canonical JSON: object keys sorted, so comparisons ignore key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function deciderSpec<C extends DomainCommand, E extends DomainEvent, S>(decider: Decider<C, E, S>): (given?: readonly E[]) => DeciderSpec<C, E, S> {
  return (given = []) => ({
    when(command: C): DeciderSpecThen<E, S> {
      const run = (): { events: E[] } | { error: unknown } => {
        const state = evolveAll(decider, given);
        try {
          return { events: decider.decide(command, state) };
        } catch (error) {
          return { error };
        }
      };
      const expectError = (errorClass: ErrorClass, fields?: Record<string, unknown>): Error => {
        const outcome = run();
        if (!('error' in outcome)) {
          throw new Error(`expected ${command.type} to be refused with ${errorClass.name}, but it decided ${canonicalJson(outcome.events)}`);
        }
        const { error } = outcome;
        if (!(error instanceof errorClass)) {
          throw new Error(
            `expected ${command.type} to be refused with ${errorClass.name}, got ${String((error as Error)?.name)}: ${String((error as Error)?.message)}`,
          );
        }
        for (const [key, want] of Object.entries(fields ?? {})) {
          const got = (error as unknown as Record<string, unknown>)[key];
          if (canonicalJson(got) !== canonicalJson(want)) {
            throw new Error(`expected ${errorClass.name}.${key} = ${canonicalJson(want)}, got ${canonicalJson(got)}`);
          }
        }
        return error;
      };
      const expectEvents = (expected: readonly E[]): S => {
        const outcome = run();
        if ('error' in outcome) {
          const e = outcome.error as Error;
          throw new Error(`expected ${command.type} to decide events, but it was refused: ${e?.name}: ${e?.message}`);
        }
        const got = canonicalJson(outcome.events);
        const want = canonicalJson(expected);
        if (got !== want) throw new Error(`${command.type} decided\n  ${got}\nexpected\n  ${want}`);
        return evolveAll(decider, outcome.events, evolveAll(decider, given));
      };
      return {
        then(expected, fields) {
          if (typeof expected === 'function') {
            expectError(expected, fields);
            return evolveAll(decider, given);
          }
          return expectEvents(expected);
        },
        thenThrows: expectError,
        events() {
          const outcome = run();
          if ('error' in outcome) throw outcome.error;
          return outcome.events;
        },
      };
    },
  });
}
