/**
 * The declarations a 免申 case awaits from its enterprise (`proactive.declarationsPending`), named as 申报 names the
 * same claims: the customs statistics cannot say them, so the enterprise does before the case may be accepted.
 */
export const DECLARATION_NAMES: Record<string, string> = {
  otherMunicipalTradeAward: '是否享受市级外贸政策奖励',
  waivesOtherMunicipalAward: '放弃市级外贸政策奖励',
  promotesOnThirdPartyPlatform: '在第三方平台开展推广运营',
  platformFeesCny: '平台服务费',
};
