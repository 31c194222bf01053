import type { ProgramId } from '@cbec/domain';
/**
 * The public integration-event contract (docs/integration-events.md). Reporting consumers see only
 * this: internal domain events may change shape, a contract event changes only by a new version
 * (`AwardApproved.v2` beside `AwardApproved.v1`). Personal data a reporting consumer does not need —
 * names, free-text comments and reasons, author user ids, payment references, claims, traces — is
 * never part of it; the JSON Schemas forbid extra properties so nothing slips in unnoticed.
 *
 * Money is a decimal string with exactly two decimals ("50000.00"); `county` is the 6-digit
 * administrative-division code of the USCC (characters 3-8).
 */

/** The programs of the policy's catalogue (libs/domain/src/policy/programs/): a new program is a new value here too. */
export type ContractProgram = ProgramId;
export type ContractUnit = string;
export type BeneficiaryKind = 'enterprise' | 'platform' | 'park';

/** The case facts every case event repeats, so a consumer needs no join to place it in a report. */
export interface CaseRef {
  applicationId: string;
  program: ContractProgram;
  year: number;
}

export interface BeneficiaryRef {
  uscc: string;
  county: string;
}

export interface CustomsFigures {
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  platformLocalOnlineTradeUsd: string | null;
}

export interface IntegrationEventData {
  'ApplicationSubmitted.v1': CaseRef & BeneficiaryRef & { beneficiaryKind: BeneficiaryKind; leadUnit: ContractUnit; cooperatingUnits: ContractUnit[] };
  'ApplicationResubmitted.v1': CaseRef & BeneficiaryRef;
  'ApplicationAccepted.v1': CaseRef & {
    leadUnit: ContractUnit;
    round: number;
    reviews: Array<{ unit: ContractUnit; dueDate: string }>;
  };
  'ReviewOpinionRecorded.v1': CaseRef & { round: number; unit: ContractUnit; verdict: 'approve' | 'reject' };
  'ReviewOverdue.v1': CaseRef & { round: number; unit: ContractUnit; dueDate: string; asOfDate: string };
  'ApplicationReturned.v1': CaseRef & { leadUnit: ContractUnit; fromStatus: string };
  'ApplicationRejected.v1': CaseRef & BeneficiaryRef & { leadUnit: ContractUnit; fromStatus: string };
  'AwardApproved.v1': CaseRef &
    BeneficiaryRef & {
      beneficiaryKind: BeneficiaryKind;
      amountCny: string;
      computedCny: string;
      approvableCny: string;
      capApplied: string | null;
      policyVersion: string;
    };
  'AwardApproved.v2': IntegrationEventData['AwardApproved.v1'] & { publicity: { from: string; until: string; workingDays: number } | null };
  'AwardDisbursed.v1': CaseRef & BeneficiaryRef & { amountCny: string };
  'PublicityObjectionRecorded.v1': CaseRef & BeneficiaryRef & { asOfDate: string };
  'AwardUpheld.v1': CaseRef & BeneficiaryRef;
  'AwardWithdrawn.v1': CaseRef & BeneficiaryRef & { amountCny: string };
  'AwardRevoked.v1': CaseRef & BeneficiaryRef & { amountCny: string; fromStatus: string };
  'RecoveryOrdered.v1': CaseRef & BeneficiaryRef & { recoveryId: string; amountCny: string; dueDate: string; cause: 'revocation' | 'revision' };
  'RepaymentRecorded.v1': CaseRef & BeneficiaryRef & { recoveryId: string; amountCny: string; outstandingCny: string };
  'RecoverySettled.v1': CaseRef & BeneficiaryRef & { recoveryId: string; amountCny: string };
  'RecheckRequired.v1': CaseRef & BeneficiaryRef & { approvedCny: string; revisedCny: string; flaggedOn: string };
  'RecheckRecorded.v1': CaseRef &
    BeneficiaryRef & { outcome: 'unchanged' | 'lower' | 'higher'; approvedCny: string; revisedCny: string; differenceCny: string };
  'AwardLowered.v1': CaseRef & BeneficiaryRef & { fromCny: string; toCny: string; differenceCny: string };
  'SupplementaryAwardApproved.v1': CaseRef & BeneficiaryRef & { supplementId: string; amountCny: string; totalCny: string };
  'SupplementObjectionOverruled.v1': CaseRef & BeneficiaryRef & { supplementId: string; objectedBy: ContractUnit };
  'SupplementaryAwardRefused.v1': CaseRef & BeneficiaryRef & { supplementId: string; objectedBy: ContractUnit };
  'ProactiveCaseOpened.v1': CaseRef & BeneficiaryRef & { declarationsPending: string[] };
  'FundCommitmentReduced.v1': { year: number; applicationId: string; commitmentId: string; amountCny: string };
  'FundRepaymentRecorded.v1': { year: number; applicationId: string; commitmentId: string; amountCny: string };
  'FundBudgetAllocated.v1': { year: number; amountCny: string };
  'FundsCommitted.v1': { year: number; applicationId: string; commitmentId: string; amountCny: string };
  'FundCommitmentReleased.v1': { year: number; applicationId: string; commitmentId: string; amountCny: string };
  'FundPaymentRecorded.v1': { year: number; applicationId: string; commitmentId: string; amountCny: string };
  'CustomsStatisticsImported.v1': BeneficiaryRef & CustomsFigures & { year: number; batchId: string };
  'CustomsStatisticsRevised.v1': BeneficiaryRef & CustomsFigures & { year: number; batchId: string; previous: CustomsFigures };
}

export type IntegrationEventType = keyof IntegrationEventData;

export const INTEGRATION_EVENT_TYPES: readonly IntegrationEventType[] = [
  'ApplicationSubmitted.v1',
  'ApplicationResubmitted.v1',
  'ApplicationAccepted.v1',
  'ReviewOpinionRecorded.v1',
  'ReviewOverdue.v1',
  'ApplicationReturned.v1',
  'ApplicationRejected.v1',
  'AwardApproved.v1',
  'AwardApproved.v2',
  'AwardDisbursed.v1',
  'PublicityObjectionRecorded.v1',
  'AwardUpheld.v1',
  'AwardWithdrawn.v1',
  'AwardRevoked.v1',
  'RecoveryOrdered.v1',
  'RepaymentRecorded.v1',
  'RecoverySettled.v1',
  'RecheckRequired.v1',
  'RecheckRecorded.v1',
  'AwardLowered.v1',
  'SupplementaryAwardApproved.v1',
  'SupplementObjectionOverruled.v1',
  'SupplementaryAwardRefused.v1',
  'ProactiveCaseOpened.v1',
  'FundCommitmentReduced.v1',
  'FundRepaymentRecorded.v1',
  'FundBudgetAllocated.v1',
  'FundsCommitted.v1',
  'FundCommitmentReleased.v1',
  'FundPaymentRecorded.v1',
  'CustomsStatisticsImported.v1',
  'CustomsStatisticsRevised.v1',
];

export function isIntegrationEventType(text: string): text is IntegrationEventType {
  return (INTEGRATION_EVENT_TYPES as readonly string[]).includes(text);
}

/** Every message, on Kafka and on the feed, is this envelope. */
export interface IntegrationEvent<T extends IntegrationEventType = IntegrationEventType> {
  /** The domain event's id: republishing after a crash repeats it, so consumers deduplicate by it. */
  eventId: string;
  type: T;
  schemaVersion: number;
  occurredAt: string;
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  correlationId: string;
  data: IntegrationEventData[T];
}

export type AnyIntegrationEvent = { [T in IntegrationEventType]: IntegrationEvent<T> }[IntegrationEventType];

/** `AwardApproved.v1` -> 1. */
export function schemaVersionOf(type: IntegrationEventType): number {
  return Number(type.slice(type.lastIndexOf('.v') + 2));
}
