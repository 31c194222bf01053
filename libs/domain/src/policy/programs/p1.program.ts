import type { Money } from '../../shared/money';
import type { LedgerTerms } from '../policy';
import { defineProgram } from './program';

/** 四（一）: 跨境电子商务年度出口在5万美元及以上（海关统计9610项下），由市财政一次性奖励5万元人民币。与市级外贸政策不重复享受。 */
export interface P1Terms extends LedgerTerms {
  minExport9610Usd: Money;
  awardCny: Money;
}

export const P1_PROGRAM = defineProgram<P1Terms>()({
  id: 'P1',
  name: 'export-reward',
  clause: '四（一）',
  label: { 'zh-CN': '跨境电商出口奖励', en: 'Cross-border e-commerce export reward' },
  beneficiaryKind: 'enterprise',
  termsKey: 'p1',
  claims: ['otherMunicipalTradeAward'],
  beneficiaryFacts: [],
  figures: { beneficiary: ['export9610Usd'], recruits: [] },
  rule: 'export-reward/v1',
});
