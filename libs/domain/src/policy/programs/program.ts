import type { CustomsFigure } from '../case-facts';
import type { BeneficiaryKind, LedgerTerms } from '../policy';

/**
 * One award program of 六政办秘〔2019〕4号 四、支持政策, as ONE entry (`<id>.program.ts` beside this file): its
 * id and long name, the clause granting it, its names in Chinese and English, the beneficiary it is for, the
 * claims and customs figures it reads, the key of its rule (libs/domain/src/policy/rules/rule-registry.ts) and
 * the shape of its terms in a policy version. The program ids, the `Policy` type's per-program parameters, the
 * labels, the parser's requirements, the rule registry's keys, the messaging schema's enum and the request
 * checks are derived from the catalogue of entries (index.ts): a new program, or a city's variant of one, is
 * its entry, its rule and its spec, and the compiler names every policy version and registry that lacks it.
 */
export type ClaimKey =
  | 'promotesOnThirdPartyPlatform'
  | 'usesThirdPartyPlatform'
  | 'platformFeesCny'
  | 'investmentCny'
  | 'operatingSince'
  | 'servedEnterprises'
  | 'services'
  | 'suspensions'
  | 'recruits'
  | 'otherMunicipalTradeAward'
  | 'waivesOtherMunicipalAward'
  | 'provincialRecognition'
  | 'statedCustoms';

export interface ProgramEntry<Terms extends LedgerTerms = LedgerTerms> {
  id: string;
  /** The long name accepted wherever the id is (docs/api.md). */
  name: string;
  /** The clause of 四 that grants it, e.g. '四（二）'. */
  clause: string;
  label: { 'zh-CN': string; en: string };
  beneficiaryKind: BeneficiaryKind;
  /** The key of its terms in a policy version (`policy.p2a`). */
  termsKey: string;
  /** The claims an application must carry (the others are optional). */
  claims: readonly ClaimKey[];
  /** Beneficiary facts an application must state beyond its USCC and kind. */
  beneficiaryFacts: readonly 'manufacturing'[];
  /** The customs figures it reads: of the beneficiary, and of each recruit. */
  figures: { beneficiary: readonly CustomsFigure[]; recruits: readonly CustomsFigure[] };
  /** Its rule's key in the rule registry (a later version may point the program at a new rule). */
  rule: string;
  /** Type only: the shape of its terms in a policy version (see `programEntry`'s `Terms`). */
  readonly terms?: Terms;
}

/** Declares an entry, keeping its literal id, keys and rule, with `Terms` the shape of its parameters. */
export function defineProgram<Terms extends LedgerTerms>() {
  return <const E extends Omit<ProgramEntry<Terms>, 'terms'>>(entry: E): E & { readonly terms?: Terms } => entry;
}
