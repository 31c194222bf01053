import { BadRequest } from '../http/errors';
import { MAX_JSON_ARRAY_ITEMS, MAX_JSON_DEPTH, MAX_JSON_KEY_LENGTH, MAX_JSON_KEYS, MAX_JSON_STRING_LENGTH } from './limits';

/**
 * A character no text of a command may hold: the C0 controls but TAB, LF and CR (a free text keeps its
 * paragraphs), DEL and the C1 controls. NUL cuts a text short in C tools and terminals, the others move
 * the cursor or change a terminal's state when a text is shown, and none is something a person types.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's purpose
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** A UTF-16 surrogate without its partner: no Unicode character, and no UTF-8 encoder can write it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What in a JSON text can make one of its strings fail the two checks above: an escape (the only way JSON
 * writes a control character or a surrogate of its own), a raw DEL or C1 control, or a raw surrogate
 * (from a text not decoded from UTF-8). A text without any is not searched string by string.
 */
const MAY_HOLD_BAD_TEXT = /[\\\u007f-\u009f\ud800-\udfff]/;

/** A refusal found deep in the value; `path` is filled on the way back up (innermost first). */
class Fault {
  readonly path: Array<string | number> = [];
  constructor(
    readonly reason: string,
    readonly limit?: number,
  ) {}
}

function textFault(text: string): Fault | undefined {
  if (LONE_SURROGATE.test(text)) return new Fault('is not valid Unicode: it holds a lone UTF-16 surrogate (e.g. "\\ud800")');
  const control = CONTROL_CHARACTER.exec(text);
  if (control) return new Fault(`holds the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return undefined;
}

function check(value: unknown, depth: number, checkText: boolean): Fault | undefined {
  if (typeof value === 'string') {
    if (value.length > MAX_JSON_STRING_LENGTH) return new Fault(`must be at most ${MAX_JSON_STRING_LENGTH} characters long`, MAX_JSON_STRING_LENGTH);
    return checkText ? textFault(value) : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_JSON_DEPTH) return new Fault(`nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`, MAX_JSON_DEPTH);
  if (Array.isArray(value)) {
    if (value.length > MAX_JSON_ARRAY_ITEMS) return new Fault(`must have at most ${MAX_JSON_ARRAY_ITEMS} items (it has ${value.length})`, MAX_JSON_ARRAY_ITEMS);
    for (let i = 0; i < value.length; i++) {
      const fault = check(value[i], depth + 1, checkText);
      if (fault) {
        fault.path.push(i);
        return fault;
      }
    }
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length > MAX_JSON_KEYS) return new Fault(`must have at most ${MAX_JSON_KEYS} fields (it has ${keys.length})`, MAX_JSON_KEYS);
  for (const key of keys) {
    if (key.length > MAX_JSON_KEY_LENGTH) return new Fault(`has a field name longer than ${MAX_JSON_KEY_LENGTH} characters`, MAX_JSON_KEY_LENGTH);
    if (checkText) {
      const fault = textFault(key);
      if (fault) return new Fault(`has a field name that ${fault.reason}`);
    }
    // An own `__proto__` key (JSON.parse makes one) shadows the accessor: this reads the parsed value.
    const fault = check((value as Record<string, unknown>)[key], depth + 1, checkText);
    if (fault) {
      fault.path.push(key);
      return fault;
    }
  }
  return undefined;
}

/** `claims.platformFeesCny[3].invoiceRef`, as the validation pipe and the fee list name fields; `body` for the whole. */
function fieldName(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const part = path[i];
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? 'body' : out;
}

/**
 * Refuses a parsed JSON body that is larger in any one dimension than any command takes (docs/limits.md,
 * "## Sizes"), or whose texts hold a lone surrogate or a control character, with a 400 naming the field
 * (the first one found) and the limit, as the validation pipe names a field. One walk over the value,
 * which stops at the depth limit, so a body nested 10,000 deep costs 16 levels; the texts are searched
 * only when `text`, the body as sent, holds a character that can make one bad.
 */
export function assertJsonShape(value: unknown, text: string): void {
  const fault = check(value, 1, MAY_HOLD_BAD_TEXT.test(text));
  if (!fault) return;
  const field = fieldName(fault.path);
  const entry = fault.limit === undefined ? { field, reason: fault.reason } : { field, reason: fault.reason, limit: fault.limit };
  throw new BadRequest(`invalid request: ${field}: ${fault.reason}`, [entry], 'invalid-request');
}
