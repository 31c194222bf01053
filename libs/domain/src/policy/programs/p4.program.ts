import type { Money } from '../../shared/money';
import type { LedgerTerms } from '../policy';
import { defineProgram } from './program';

/** 四（四）: 对经认定的省级跨境电子商务产业园区，在省资金支持的基础上，由市财政一次性给予50万元支持。 */
export interface P4Terms extends LedgerTerms {
  awardCny: Money;
}

export const P4_PROGRAM = defineProgram<P4Terms>()({
  id: 'P4',
  name: 'provincial-park-grant',
  clause: '四（四）',
  label: { 'zh-CN': '省级跨境电商产业园区支持', en: 'Provincial cross-border e-commerce industrial park grant' },
  beneficiaryKind: 'park',
  termsKey: 'p4',
  claims: ['provincialRecognition'],
  beneficiaryFacts: [],
  figures: { beneficiary: [], recruits: [] },
  rule: 'provincial-park-grant/v1',
});
