import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { type AmountLimit, Money, Uscc } from '@cbec/domain';
import { BadRequest, WorkflowError } from '../http/errors';

/**
 * One entry per failing field, nested fields by dotted path (`beneficiary.uscc`); a size rule declared
 * with `context: { limit }` (limits.ts) adds the limit to its entry.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): Array<{ field: string; reason: string; limit?: number }> {
  const out: Array<{ field: string; reason: string; limit?: number }> = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [rule, reason] of Object.entries(error.constraints ?? {})) {
      const limit = (error.contexts?.[rule] as { limit?: unknown } | undefined)?.limit;
      out.push(typeof limit === 'number' ? { field, reason, limit } : { field, reason });
    }
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/**
 * A request body the server did not read (body-parsers.ts): its media type is none the API takes, or it
 * came without a Content-Type. A JSON command answers it with a 415 (the pipe below), rather than with a
 * 400 listing every field as missing; the customs import answers it with its own 415.
 */
export class UnreadBody {
  constructor(readonly contentType: string | undefined) {}
}

class CommandNotJson extends WorkflowError {
  readonly code = 'unsupported-media-type';
  readonly httpStatus = 415;
}

/** Values JSON.parse made from a text that holds none of the keys Nest's pipe strips (see below). */
const FREE_OF_PROTO_KEYS = new WeakSet<object>();

/**
 * Marks `value`, which JSON.parse made from `text`, as free of the keys Nest's ValidationPipe deletes before
 * building a request (`__proto__`, `prototype`, `constructor`) when the text proves it: none of the three
 * names appears in it and no `\u` escape could spell one (JSON has no other way to write a letter). The
 * pipe then skips its walk over every object of the value (~3 us of a submission's event loop). The JSON
 * body parser marks what it parses.
 */
export function markIfFreeOfProtoKeys(value: unknown, text: string): void {
  if (typeof value !== 'object' || value === null) return;
  if (text.includes('\\u') || text.includes('__proto__') || text.includes('prototype') || text.includes('constructor')) return;
  FREE_OF_PROTO_KEYS.add(value);
}

/**
 * Nest turns a numeric path or query parameter into `+value`, so `/funds/abc` would reach the parameter's
 * own pipe as NaN (shown as "null"): a text that is not exactly a number is passed on as it was sent,
 * for that pipe to refuse by name.
 */
class AppValidationPipe extends ValidationPipe {
  /** A JSON command's body the server did not read (UnreadBody) is a 415; any other value is validated. */
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (value instanceof UnreadBody && metadata.type === 'body' && this.toValidate(metadata)) {
      const sent = value.contentType === undefined ? 'the request had no Content-Type' : `got ${value.contentType}`;
      return Promise.reject(new CommandNotJson(`send the command as JSON with Content-Type: application/json (${sent})`));
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    const converted = super.transformPrimitive(value, metadata);
    return typeof converted === 'number' && typeof value === 'string' && String(converted) !== value ? value : converted;
  }

  /*
   * Two of the walks Nest's pipe makes over every value guard against inputs this server never hands it:
   * sparse arrays (a multipart or `qs`-style field like `tags[1000]`) and binary values (socket.io
   * attachments). Its values come from JSON.parse (body-parsers.ts: JSON has no gaps and no bytes), from
   * Fastify's query string parser (strings, arrays built by push) and from path parameters (strings); the
   * CSV body is a string. Each walk cost ~4 us of every request's ~150 us on the event loop. The third walk,
   * `stripProtoKeys`, stays for any value not known to be free of such keys: JSON.parse does make own
   * `__proto__` keys.
   */
  protected override closeArrayGaps(): void {
    // nothing to close: see above
  }

  protected override findNestedBinaryValues(): ValidationError[] {
    return [];
  }

  /** The third walk, skipped for a JSON body whose text proved it has none of the keys (markIfFreeOfProtoKeys). */
  protected override stripProtoKeys(value: unknown): void {
    if (typeof value === 'object' && value !== null && FREE_OF_PROTO_KEYS.has(value)) return;
    super.stripProtoKeys(value);
  }
}

/** The reason of a field problem without the field's name (the entry and the detail name it already). */
function reasonOf(error: unknown): string {
  return (error as { detail?: string }).detail ?? (error as Error).message;
}

type RuleStorage = ReturnType<typeof getMetadataStorage>;
const memoized = new WeakSet<RuleStorage>();

/**
 * class-validator looks up a class's rules for every object it validates (a submission: the body, its
 * beneficiary and its claims) by filtering every rule of the class and walking every registered class for
 * inherited ones: ~4-6 us of a submission's event loop, class-validator's largest single cost. The answer
 * depends only on the class and the options and changes only when a rule is added, so it is kept per
 * class and options, and forgotten whenever a rule is added (decorators run when a class is defined,
 * `registerDecorator` may run later).
 */
export function memoizeRuleLookups(storage: RuleStorage = getMetadataStorage()): void {
  if (memoized.has(storage)) return;
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let byClass = new Map<unknown, Map<string, ReturnType<RuleStorage['getTargetValidationMetadatas']>>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}\u0000${groups?.length ?? -1}`;
    let forClass = byClass.get(target);
    if (!forClass) byClass.set(target, (forClass = new Map()));
    let rules = forClass.get(key);
    if (!rules) forClass.set(key, (rules = lookup(target, schema, always, strictGroups, groups)));
    return rules;
  };
  storage.addValidationMetadata = (metadata) => {
    byClass = new Map();
    add(metadata);
  };
  memoized.add(storage);
}

/** The global pipe of the app: whitelist, unknown fields refused, payloads turned into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  memoizeRuleLookups();
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flattenValidationErrors(errors);
      return new BadRequest(`invalid request: ${list.map((e) => `${e.field}: ${e.reason}`).join('; ')}`, list, 'invalid-request');
    },
  });
}

/** Money on the wire (Money.parse): digits without a leading zero, at most two decimals. */
export const MONEY_PATTERN = '^(0|[1-9][0-9]*)(\\.[0-9]{1,2})?$';

/**
 * The OpenAPI schema of a money string held to `limit` (shared/amount-limits.ts): its pattern, the
 * longest text a value within the limit can have, and the limit in words. The DTO checks the form
 * (400); the domain's decide refuses an amount above the limit (422 `amount-above-limit`, naming the
 * field and the limit).
 */
export function moneySchema(
  limit: AmountLimit,
  description?: string,
  example = '50000.00',
): {
  type: 'string';
  pattern: string;
  maxLength: number;
  example: string;
  description: string;
} {
  const max = `${limit.max.toString()} ${limit.max.currency}`;
  const rule = `a decimal string with at most two decimals, at most ${max} (${limit.appliesTo}); above it: 422 amount-above-limit (docs/limits.md)`;
  return {
    type: 'string',
    pattern: MONEY_PATTERN,
    maxLength: limit.max.toString().length,
    example,
    description: description ? `${description}: ${rule}` : rule,
  };
}

/** Money as docs/api.md wants it: a decimal string with at most two decimals; a JSON number is refused by name. */
export function IsMoneyString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isMoneyString',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          try {
            Money.parse(value, 'CNY', args.property);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage(args: ValidationArguments) {
          try {
            Money.parse(args.value, 'CNY', args.property);
            return 'is not valid money';
          } catch (e) {
            return reasonOf(e);
          }
        },
      },
    });
  };
}

/** A USCC with a valid GB 32100-2015 check character. */
export function IsUscc(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isUscc',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => Uscc.isValid(value),
        defaultMessage(args: ValidationArguments) {
          try {
            Uscc.parse(args.value, args.property);
            return 'is not a valid USCC';
          } catch (e) {
            return reasonOf(e);
          }
        },
      },
    });
  };
}
