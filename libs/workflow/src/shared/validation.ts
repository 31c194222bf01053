import { ValidationError, ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { Money, Uscc } from '@cbec/domain';
import { BadRequest } from './errors';

/** One entry per failing field, nested fields by dotted path (`beneficiary.uscc`). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): Array<{ field: string; reason: string }> {
  const out: Array<{ field: string; reason: string }> = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) out.push({ field, reason });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** The global pipe of the app: whitelist, unknown fields refused, payloads turned into DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flattenValidationErrors(errors);
      return new BadRequest(
        `invalid request: ${list.map((e) => `${e.field}: ${e.reason}`).join('; ')}`,
        list,
        'invalid-request',
      );
    },
  });
}

/** Money as API.md wants it: a decimal string with at most two decimals; a JSON number is refused by name. */
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
            return `${args.property} is not valid money`;
          } catch (e) {
            return (e as Error).message;
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
            return `${args.property} is not a valid USCC`;
          } catch (e) {
            return (e as Error).message;
          }
        },
      },
    });
  };
}
