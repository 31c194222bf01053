import type { Money } from '../../shared/money';
import type { LedgerTerms, PlatformService } from '../policy';
import { defineProgram } from './program';

/**
 * 四（三）前段: 在我市注册的为企业提供通关、物流、融资、退税、结汇等综合配套服务的跨境电子商务综合服务平台，正常运营一年以上、
 * 服务跨境电子商务企业10家以上、年累计本地在线进出口交易额达50万美元以上的，按其平台软硬件当年实际投资40%给予补助，补助期3年，
 * 同一平台（项目）年最高补助20万元。
 */
export interface P3aTerms extends LedgerTerms {
  /** 通关、物流、融资、退税、结汇等综合配套服务: the services a platform must declare, each with evidence. */
  requiredServices: PlatformService[];
  minOperatingYears: number;
  minServedEnterprises: number;
  minLocalOnlineTradeUsd: Money;
  ratePercent: number;
}

export const P3A_PROGRAM = defineProgram<P3aTerms>()({
  id: 'P3a',
  name: 'platform-investment-subsidy',
  clause: '四（三）',
  label: { 'zh-CN': '跨境电商综合服务平台软硬件投资补助', en: 'Comprehensive service platform investment subsidy' },
  beneficiaryKind: 'platform',
  termsKey: 'p3a',
  claims: ['investmentCny', 'operatingSince', 'servedEnterprises'],
  beneficiaryFacts: [],
  figures: { beneficiary: ['platformLocalOnlineTradeUsd'], recruits: [] },
  rule: 'platform-investment-subsidy/v1',
});
