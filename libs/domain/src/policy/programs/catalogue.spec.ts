import { label } from '../../i18n/catalogue';
import { parseEvaluationInput } from '../parse-evaluation-input';
import { LZB_2019_4 } from '../policy';
import { PROGRAM_IDS, PROGRAM_NAMES } from '../programs';
import { RULES } from '../rules/rule-registry';
import { p1Case, p2aCase, p3aCase, p3bCase, p4Case } from '../testing/case-json';
import { PROGRAM_CATALOGUE } from './index';

type Json = Record<string, any>;
const clone = (j: unknown): Json => JSON.parse(JSON.stringify(j));

/** One entry per program: what is derived from it says what the entry says. */
describe('the catalogue of programs (one entry each)', () => {
  it('gives each program a distinct id, long name, terms key and a rule the registry holds', () => {
    const ids = PROGRAM_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(PROGRAM_CATALOGUE.map((e) => e.termsKey)).size).toBe(ids.length);
    expect(new Set(PROGRAM_CATALOGUE.map((e) => e.name)).size).toBe(ids.length);
    for (const e of PROGRAM_CATALOGUE) expect(RULES[e.rule]).toBeInstanceOf(Function);
  });

  it('is where the ids, long names, labels and the policy’s programs come from', () => {
    expect(PROGRAM_IDS).toEqual(['P1', 'P2a', 'P2b', 'P3a', 'P3b', 'P4']);
    for (const e of PROGRAM_CATALOGUE) {
      expect(PROGRAM_NAMES[e.id]).toBe(e.name);
      expect(label('program', e.id, 'zh-CN')).toBe(e.label['zh-CN']);
      expect(label('program', e.id, 'en')).toBe(e.label.en);
      expect(LZB_2019_4.programs[e.id]).toMatchObject({ name: e.name, article: e.clause, beneficiaryKind: e.beneficiaryKind, rule: e.rule });
      expect(LZB_2019_4[e.termsKey]).toEqual(expect.objectContaining({ oncePer: expect.anything() }));
    }
  });

  it('is what the case-file parser requires: each claim an entry lists, and nothing else', () => {
    const cases: Record<string, Json> = {
      P1: p1Case('60000.00'),
      P2a: p2aCase(['100.00', '200.00'], ['10.00']),
      P3a: p3aCase(),
      P3b: p3bCase(1),
      P4: p4Case(),
    };
    for (const e of PROGRAM_CATALOGUE) {
      const json = cases[e.id];
      if (!json) {
        expect(e.claims).toEqual([]); // P2b: no claims at all
        continue;
      }
      for (const claim of e.claims) {
        const missing = clone(json);
        delete missing.claims[claim];
        expect(() => parseEvaluationInput(missing)).toThrow(`claims.${claim}: is missing (${e.id} needs it)`);
      }
    }
    const p2a = clone(cases.P2a);
    delete p2a.beneficiary.manufacturing;
    expect(() => parseEvaluationInput(p2a)).toThrow('beneficiary.manufacturing: is missing (P2a needs it)');
  });
});
