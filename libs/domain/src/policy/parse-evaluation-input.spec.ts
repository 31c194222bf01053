import { evaluate, isInputError } from './evaluate';
import { parseEvaluationInput } from './parse-evaluation-input';
import { ENTERPRISE, p1Case, p2aCase, p2bCase, p3aCase, p3bCase, p4Case } from './testing/case-json';

type Json = Record<string, any>;
const clone = (j: unknown): Json => JSON.parse(JSON.stringify(j));

/** The field path the input error names, or a failure when the input is accepted. */
function fieldOf(json: unknown): string {
  try {
    evaluate(json);
  } catch (e) {
    if (isInputError(e)) return e.field;
    throw e;
  }
  throw new Error('input was accepted');
}

describe('the strict parser of evaluate input', () => {
  it('accepts the example case of every program', () => {
    for (const json of [p1Case('1.00'), p2aCase(['1.00', '2.00'], ['1.00']), p2bCase('1.00', '2.00'), p3aCase(), p3bCase(1), p4Case()]) {
      expect(() => parseEvaluationInput(json)).not.toThrow();
    }
  });

  describe('names the field of each missing or malformed value', () => {
    it('input that is not an object', () => {
      expect(fieldOf([1])).toBe('(input)');
      expect(fieldOf(null)).toBe('(input)');
    });

    // Rows are padded to four cells: jest would take a missing last cell for a `done` callback.
    const pad = (rows: [string, (j: Json) => unknown, string, RegExp?][]) =>
      rows.map(([what, mutate, field, message]): [string, (j: Json) => unknown, string, RegExp | null] => [what, mutate, field, message ?? null]);
    it.each(
      pad([
        ['a missing program', (j) => delete j.program, 'program', /is missing/],
        ['an unknown program', (j) => (j.program = 'P5'), 'program', /unknown program "P5"/],
        ['a year as text', (j) => (j.year = '2019'), 'year'],
        ['a missing beneficiary', (j) => delete j.beneficiary, 'beneficiary'],
        ['a bad USCC check character', (j) => (j.beneficiary.uscc = ENTERPRISE.slice(0, 17) + 'D'), 'beneficiary.uscc', /check character "D"/],
        ['an unknown beneficiary kind', (j) => (j.beneficiary.kind = 'person'), 'beneficiary.kind'],
        ['money as a JSON number', (j) => (j.customs[0].export9610Usd = 50000), 'customs[0].export9610Usd', /decimal string/],
        ['money with three decimals', (j) => (j.customs[0].export9610Usd = '50000.001'), 'customs[0].export9610Usd', /more than two decimals/],
        ['a negative amount', (j) => (j.customs[0].export9610Usd = '-1.00'), 'customs[0].export9610Usd', /negative/],
        ['missing customs for P1', (j) => delete j.customs, 'customs', /P1 reads customs statistics/],
        ['a missing figure P1 reads', (j) => delete j.customs[0].export9610Usd, 'customs[0].export9610Usd', /is missing/],
        ['a misspelt figure', (j) => (j.customs[0].export9610usd = '1.00'), 'customs[0].export9610usd', /not a known field/],
        ['a customs record without a year', (j) => delete j.customs[0].year, 'customs[0].year'],
        ['a duplicated customs record', (j) => j.customs.push({ ...j.customs[0] }), 'customs[1]', /duplicates customs\[0\]/],
        ['a missing declaration P1 needs', (j) => delete j.claims.otherMunicipalTradeAward, 'claims.otherMunicipalTradeAward', /P1 needs it/],
        ['a waiver that is not a boolean', (j) => (j.claims.waivesOtherMunicipalAward = 'yes'), 'claims.waivesOtherMunicipalAward'],
        ['a history amount as a number', (j) => (j.history = [{ program: 'P1', year: 2018, amountCny: 50000 }]), 'history[0].amountCny'],
        ['a history program that does not exist', (j) => (j.history = [{ program: 'P9', year: 2018, amountCny: '1.00' }]), 'history[0].program'],
        ['an unknown top-level field', (j) => (j.comment = 'x'), 'comment'],
        ['a bad USCC among recruits counted elsewhere', (j) => (j.recruitsCountedElsewhere = ['123']), 'recruitsCountedElsewhere[0]'],
        ['an unknown policy version', (j) => (j.policyVersion = 'LZB-2099-1'), 'policyVersion'],
      ]),
    )('%s', (_what, mutate, field, message) => {
      const json = clone(p1Case('50000.00'));
      mutate(json);
      expect(fieldOf(json)).toBe(field);
      if (message) expect(() => evaluate(json)).toThrow(message);
    });

    it.each<[string, () => Json, (j: Json) => unknown, string]>([
      ['a fee with three decimals', () => p2aCase(['1.00', '2.00'], ['1.00', '2.005']), () => undefined, 'claims.platformFeesCny[1]'],
      [
        'a fee object without its amount',
        () => p2aCase(['1.00', '2.00'], []),
        (j) => (j.claims.platformFeesCny = [{ invoiceRef: 'x' }]),
        'claims.platformFeesCny[0].amountCny',
      ],
      ['the manufacturing flag P2a needs', () => p2aCase(['1.00', '2.00'], ['1.00']), (j) => delete j.beneficiary.manufacturing, 'beneficiary.manufacturing'],
      [
        'the promotion claim P2a needs',
        () => p2aCase(['1.00', '2.00'], ['1.00']),
        (j) => delete j.claims.promotesOnThirdPartyPlatform,
        'claims.promotesOnThirdPartyPlatform',
      ],
      ['the total exports P2a reads', () => p2aCase(['1.00', '2.00'], ['1.00']), (j) => delete j.customs[1].totalExportUsd, 'customs[1].totalExportUsd'],
      ['the imports P2b reads', () => p2bCase('1.00', '2.00'), (j) => delete j.customs[0].cbecImportUsd, 'customs[0].cbecImportUsd'],
      ['the investment P3a needs', () => p3aCase(), (j) => delete j.claims.investmentCny, 'claims.investmentCny'],
      ['an impossible date', () => p3aCase({ operatingSince: '2019-02-29' }), () => undefined, 'claims.operatingSince'],
      ['a served enterprise with a bad USCC', () => p3aCase(), (j) => (j.claims.servedEnterprises[2] = '91341500MA2010017D'), 'claims.servedEnterprises[2]'],
      ['the platform trade P3a reads', () => p3aCase(), (j) => delete j.customs[0].platformLocalOnlineTradeUsd, 'customs[0].platformLocalOnlineTradeUsd'],
      ['the recruits P3b needs', () => p3bCase(1), (j) => delete j.claims.recruits, 'claims.recruits'],
      ['a figure P3b reads of a recruit', () => p3bCase(2), (j) => delete j.customs[3].cbecExportUsd, 'customs[3].cbecExportUsd'],
      ['the recognition P4 needs', () => p4Case(), (j) => delete j.claims.provincialRecognition.documentNo, 'claims.provincialRecognition.documentNo'],
    ])('%s', (_what, build, mutate, field) => {
      const json = clone(build());
      mutate(json);
      expect(fieldOf(json)).toBe(field);
    });
  });

  it('keeps the source a customs record names (e.g. the import event) and shows it in the trace', () => {
    const json = clone(p1Case('50000.00'));
    json.customs[0].source = 'event:CustomsStatisticsImported/42';
    expect(evaluate(json).trace).toContainEqual(expect.objectContaining({ value: 'USD 50000.00', source: 'event:CustomsStatisticsImported/42' }));
  });

  describe('requires only what the program needs', () => {
    it('P2b needs no claims', () => {
      const json = clone(p2bCase('1.00', '100000.00'));
      delete json.claims;
      expect(evaluate(json).eligible).toBe(true);
    });

    it('P4 needs no customs statistics', () => {
      expect(clone(p4Case()).customs).toBeUndefined();
      expect(evaluate(p4Case()).eligible).toBe(true);
    });

    it('P1 does not need the figures it does not read', () => {
      const json = clone(p1Case('50000.00'));
      expect(json.customs[0].cbecImportUsd).toBeUndefined();
      expect(evaluate(json).eligible).toBe(true);
    });

    it('accepts the long program name and null for a figure customs do not record', () => {
      const json = clone(p3aCase({ localTradeUsd: null }));
      json.program = 'platform-investment-subsidy';
      const e = evaluate(json);
      expect(e.program).toBe('P3a');
      expect(e.reasons).toEqual(['below-threshold']);
    });
  });
});
