import type { ArgumentMetadata } from '@nestjs/common';
import { getMetadataStorage, IsString, registerDecorator, validate } from 'class-validator';
import { SubmitApplicationRequest } from '../submit-application/submit-application.request';
import { AllocateFundBudgetRequest } from '../allocate-fund-budget/allocate-fund-budget.request';
import { toProblem, createValidationPipe, markIfFreeOfProtoKeys, memoizeRuleLookups, yearPipe } from '@cbec/platform';
import { ValidationPipe } from '@nestjs/common';

/** What the app's pipes answer for one input (the global pipe first, then the parameter's own pipe). */
async function problemOf(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return toProblem(error);
  }
  throw new Error('expected a refusal');
}

describe('request validation messages', () => {
  const pipe = createValidationPipe();
  const body: ArgumentMetadata = { type: 'body', metatype: AllocateFundBudgetRequest, data: '' };
  const yearParam: ArgumentMetadata = { type: 'param', metatype: Number, data: 'year' };

  it('names a bad money field once, in the detail and in its entry', async () => {
    const p = await problemOf(() => pipe.transform({ amountCny: 'x' }, body));
    expect(p).toMatchObject({ status: 400, code: 'invalid-request' });
    expect(p.detail).toBe('invalid request: amountCny: "x" is not a decimal amount with at most two decimals');
    expect(p.errors).toEqual([{ field: 'amountCny', reason: '"x" is not a decimal amount with at most two decimals' }]);
  });

  it('shows the year of the path as it was sent (/funds/abc)', async () => {
    const p = await problemOf(async () => yearPipe.transform((await pipe.transform('abc', yearParam)) as string, yearParam));
    expect(p).toMatchObject({ status: 400, errors: [{ field: 'year' }] });
    expect(p.detail).toBe('year must be a calendar year between 2000 and 2100, got "abc"');
  });

  it('still reads a year of the path as a number', async () => {
    expect(yearPipe.transform((await pipe.transform('2019', yearParam)) as string, yearParam)).toBe(2019);
  });

  it("drops a JSON body's own __proto__ key before building the request (the walk the pipe keeps)", async () => {
    const dto = (await pipe.transform(JSON.parse('{"amountCny":"1.00","__proto__":{"polluted":true}}'), body)) as object;
    expect(dto).toBeInstanceOf(AllocateFundBudgetRequest);
    expect(dto).toEqual(expect.objectContaining({ amountCny: '1.00' }));
    expect((dto as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('the __proto__ walk, skipped for JSON proven free of such keys', () => {
  const pipe = createValidationPipe();
  const body: ArgumentMetadata = { type: 'body', metatype: AllocateFundBudgetRequest, data: '' };
  const parsed = (text: string): unknown => {
    const value = JSON.parse(text) as unknown;
    markIfFreeOfProtoKeys(value, text);
    return value;
  };
  afterEach(() => jest.restoreAllMocks());

  it('skips the walk for a text without the names, and walks every other value', async () => {
    const walk = jest.spyOn(ValidationPipe.prototype as unknown as { stripProtoKeys(v: unknown): void }, 'stripProtoKeys');
    await pipe.transform(parsed('{"amountCny":"1.00"}'), body);
    expect(walk).not.toHaveBeenCalled();
    await pipe.transform(JSON.parse('{"amountCny":"1.00"}'), body);
    expect(walk).toHaveBeenCalledTimes(1);
  });

  it('walks a text that names such a key, plainly or by a \\u escape, and the key is gone', async () => {
    const walk = jest.spyOn(ValidationPipe.prototype as unknown as { stripProtoKeys(v: unknown): void }, 'stripProtoKeys');
    for (const text of ['{"amountCny":"1.00","__proto__":{"polluted":true}}', '{"amountCny":"1.00","\\u005f_proto__":{"polluted":true}}']) {
      walk.mockClear();
      const dto = (await pipe.transform(parsed(text), body)) as { polluted?: unknown };
      expect(walk).toHaveBeenCalledTimes(1);
      expect(dto).toBeInstanceOf(AllocateFundBudgetRequest);
      expect(dto.polluted).toBeUndefined();
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    }
  });
});

describe("class-validator's rule lookups, memoized", () => {
  const storage = getMetadataStorage();
  beforeAll(() => memoizeRuleLookups(storage));

  it("answer what class-validator's own lookup answers, for every request class and option", () => {
    const own = Object.getPrototypeOf(storage) as typeof storage;
    for (const target of [SubmitApplicationRequest, AllocateFundBudgetRequest]) {
      for (const always of [false, true]) {
        for (const groups of [undefined, [], ['g']]) {
          const args = [target, '', always, false, groups] as const;
          expect(storage.getTargetValidationMetadatas(...args)).toEqual(own.getTargetValidationMetadatas.apply(storage, [...args]));
          // The second answer comes from the memo, and is the same.
          expect(storage.getTargetValidationMetadatas(...args)).toEqual(own.getTargetValidationMetadatas.apply(storage, [...args]));
        }
      }
    }
  });

  it('honour a rule added after the class was first validated', async () => {
    class Late {
      @IsString()
      name = 'ok';
    }
    expect(await validate(new Late())).toEqual([]);
    registerDecorator({ name: 'neverValid', target: Late, propertyName: 'name', validator: { validate: () => false, defaultMessage: () => 'never valid' } });
    const errors = await validate(new Late());
    expect(errors.map((e) => e.constraints)).toEqual([{ neverValid: 'never valid' }]);
  });
});
