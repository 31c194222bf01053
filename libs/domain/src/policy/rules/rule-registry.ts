import { p1ExportReward } from './p1-export-reward.rule';
import { p2aPlatformFeeSubsidy } from './p2a-platform-fee-subsidy.rule';
import { p2bTradeIncrementSubsidy } from './p2b-trade-increment-subsidy.rule';
import { p3aPlatformInvestmentSubsidy } from './p3a-platform-investment-subsidy.rule';
import { p3bPlatformRecruitmentReward } from './p3b-platform-recruitment-reward.rule';
import { p4ProvincialParkGrant } from './p4-provincial-park-grant.rule';
import type { RuleKey } from '../programs/index';
import { Rule } from './rule';

/**
 * Rules by key; a policy names the rule of each program (ProgramParams.rule), so a new policy may add one.
 * Every rule a program entry names (programs/<id>.program.ts) must be here: the compiler says which is missing.
 */
const REGISTRY: Readonly<Record<RuleKey, Rule>> = {
  'export-reward/v1': p1ExportReward,
  'platform-fee-subsidy/v1': p2aPlatformFeeSubsidy,
  'trade-increment-subsidy/v1': p2bTradeIncrementSubsidy,
  'platform-investment-subsidy/v1': p3aPlatformInvestmentSubsidy,
  'platform-recruitment-reward/v1': p3bPlatformRecruitmentReward,
  'provincial-park-grant/v1': p4ProvincialParkGrant,
};

export const RULES: Readonly<Record<string, Rule>> = REGISTRY;
