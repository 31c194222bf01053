import type { Money } from '../../shared/money';
import type { LedgerTerms, NewEnterpriseReading } from '../policy';
import { defineProgram } from './program';

/** 四（二）后段: 对被认定的年跨境电子商务进出口增量部分（不包括新企业进出口总量），每5万美元补助人民币2000元。 */
export interface P2bTerms extends LedgerTerms {
  stepUsd: Money;
  awardPerStepCny: Money;
  /** 不包括新企业进出口总量 (readings: p2b.new-enterprise). */
  newEnterprise: NewEnterpriseReading;
}

export const P2B_PROGRAM = defineProgram<P2bTerms>()({
  id: 'P2b',
  name: 'trade-increment-subsidy',
  clause: '四（二）',
  label: { 'zh-CN': '跨境电商进出口增量补助', en: 'Cross-border e-commerce trade increment subsidy' },
  beneficiaryKind: 'enterprise',
  termsKey: 'p2b',
  claims: [],
  beneficiaryFacts: [],
  figures: { beneficiary: ['cbecImportUsd', 'cbecExportUsd'], recruits: [] },
  rule: 'trade-increment-subsidy/v1',
});
