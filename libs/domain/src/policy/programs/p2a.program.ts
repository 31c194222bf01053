import type { LedgerTerms } from '../policy';
import { defineProgram } from './program';

/**
 * 四（二）前段: 利用第三方跨境电子商务平台开展线上推广且本企业年出口增长10%以上, 或制造业企业利用第三方跨境电子商务平台实现
 * 本企业出口额零的突破, 按服务年费和推广运营费给予70%补贴，单个企业最高不超过10万元。
 */
export interface P2aTerms extends LedgerTerms {
  /** Export growth Y-1 -> Y, in percent, inclusive (10%以上). */
  minGrowthPercent: number;
  ratePercent: number;
}

export const P2A_PROGRAM = defineProgram<P2aTerms>()({
  id: 'P2a',
  name: 'platform-fee-subsidy',
  clause: '四（二）',
  label: { 'zh-CN': '跨境电商平台服务年费和推广运营费补贴', en: 'Platform service and promotion fee subsidy' },
  beneficiaryKind: 'enterprise',
  termsKey: 'p2a',
  claims: ['promotesOnThirdPartyPlatform', 'platformFeesCny'],
  beneficiaryFacts: ['manufacturing'],
  figures: { beneficiary: ['totalExportUsd'], recruits: [] },
  rule: 'platform-fee-subsidy/v1',
});
