import type { Money } from '../../shared/money';
import type { LedgerTerms, ZeroBreakthroughTrade } from '../policy';
import { defineProgram } from './program';

/** 四（三）后段: 对在我市注册的跨境电子商务平台每新招引1家我市企业…实现本地进出口额零突破的，一次性奖励1万元，同一平台年最高奖励20万元。 */
export interface P3bTerms extends LedgerTerms {
  awardPerRecruitCny: Money;
  /** 本地进出口额零突破 (readings: p3b.zero-breakthrough). */
  zeroBreakthroughTrade: ZeroBreakthroughTrade;
}

export const P3B_PROGRAM = defineProgram<P3bTerms>()({
  id: 'P3b',
  name: 'platform-recruitment-reward',
  clause: '四（三）',
  label: { 'zh-CN': '跨境电商平台招引企业奖励', en: 'Platform recruitment reward' },
  beneficiaryKind: 'platform',
  termsKey: 'p3b',
  claims: ['recruits'],
  beneficiaryFacts: [],
  figures: { beneficiary: [], recruits: ['cbecImportUsd', 'cbecExportUsd'] },
  rule: 'platform-recruitment-reward/v1',
});
