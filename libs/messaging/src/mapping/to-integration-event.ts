import type {
  ApplicationRejected,
  ApplicationResubmitted,
  ApplicationReturned,
  ApplicationSubmitted,
  AwardApproved,
  AwardDisbursed,
  AwardRevoked,
  AwardUpheld,
  AwardWithdrawn,
  CaseAccepted,
  CustomsStatisticsImported,
  CustomsStatisticsRevised,
  FundBudgetAllocated,
  FundCommitmentReleased,
  FundPaymentRecorded,
  FundRepaymentRecorded,
  FundsCommitted,
  PublicityObjectionRecorded,
  RecoveryOrdered,
  RecoverySettled,
  RecheckRequired,
  RecheckRecorded,
  AwardLowered,
  SupplementaryAwardApproved,
  SupplementObjectionOverruled,
  SupplementaryAwardRefused,
  ProactiveCaseOpened,
  FundCommitmentReduced,
  RepaymentRecorded,
  ReviewOpinionRecorded,
  ReviewOverdue,
} from '@cbec/domain';
import { Money } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import type {
  AnyIntegrationEvent,
  BeneficiaryKind,
  ContractProgram,
  CustomsFigures,
  IntegrationEvent,
  IntegrationEventData,
  IntegrationEventType,
} from '../contract/integration-events';
import { schemaVersionOf } from '../contract/integration-events';

/**
 * THE mapping from stored domain events to the public contract: one function, one case per published
 * domain event. A domain event type not listed here is not published. Case events after the submission
 * carry only the application id, so the case facts (program, year, beneficiary) come from the case's
 * ApplicationSubmitted through `caseFacts` (see CaseFactsResolver), and every contract event is
 * self-contained for a report.
 */

export interface CaseFacts {
  applicationId: string;
  program: ContractProgram;
  year: number;
  uscc: string;
  county: string;
  beneficiaryKind: BeneficiaryKind;
  leadUnit: string;
}

export type CaseFactsLookup = (applicationId: string) => CaseFacts | undefined;

/** Domain event type -> the contract event it becomes. */
export const PUBLISHED_DOMAIN_EVENTS = {
  ApplicationSubmitted: 'ApplicationSubmitted.v1',
  ApplicationResubmitted: 'ApplicationResubmitted.v1',
  CaseAccepted: 'ApplicationAccepted.v1',
  ReviewOpinionRecorded: 'ReviewOpinionRecorded.v1',
  ReviewOverdue: 'ReviewOverdue.v1',
  ApplicationReturned: 'ApplicationReturned.v1',
  ApplicationRejected: 'ApplicationRejected.v1',
  // v2 adds the publicity (公示); an award stored before it existed (no publicity) is still published as v1.
  AwardApproved: 'AwardApproved.v2',
  AwardDisbursed: 'AwardDisbursed.v1',
  PublicityObjectionRecorded: 'PublicityObjectionRecorded.v1',
  AwardUpheld: 'AwardUpheld.v1',
  AwardWithdrawn: 'AwardWithdrawn.v1',
  AwardRevoked: 'AwardRevoked.v1',
  RecoveryOrdered: 'RecoveryOrdered.v1',
  RepaymentRecorded: 'RepaymentRecorded.v1',
  RecoverySettled: 'RecoverySettled.v1',
  RecheckRequired: 'RecheckRequired.v1',
  RecheckRecorded: 'RecheckRecorded.v1',
  AwardLowered: 'AwardLowered.v1',
  SupplementaryAwardApproved: 'SupplementaryAwardApproved.v1',
  SupplementObjectionOverruled: 'SupplementObjectionOverruled.v1',
  SupplementaryAwardRefused: 'SupplementaryAwardRefused.v1',
  ProactiveCaseOpened: 'ProactiveCaseOpened.v1',
  FundCommitmentReduced: 'FundCommitmentReduced.v1',
  FundRepaymentRecorded: 'FundRepaymentRecorded.v1',
  FundBudgetAllocated: 'FundBudgetAllocated.v1',
  FundsCommitted: 'FundsCommitted.v1',
  FundCommitmentReleased: 'FundCommitmentReleased.v1',
  FundPaymentRecorded: 'FundPaymentRecorded.v1',
  CustomsStatisticsImported: 'CustomsStatisticsImported.v1',
  CustomsStatisticsRevised: 'CustomsStatisticsRevised.v1',
  // Not CustomsBatchUnchanged: it only records a batch id (a file that changed no figure), like the
  // reservations it is bookkeeping of one stream, not a fact a report needs.
} as const satisfies Record<string, IntegrationEventType>;

export type PublishedDomainEventType = keyof typeof PUBLISHED_DOMAIN_EVENTS;

export function isPublished(domainType: string): domainType is PublishedDomainEventType {
  return Object.prototype.hasOwnProperty.call(PUBLISHED_DOMAIN_EVENTS, domainType);
}

/** Contract types a domain event type is also published as (an older version, for the events stored before the newer). */
const ALSO_PUBLISHED_AS: Partial<Record<PublishedDomainEventType, readonly IntegrationEventType[]>> = { AwardApproved: ['AwardApproved.v1'] };

/** Domain event types that become one of the given contract types (for a store-side filter). */
export function domainTypesFor(contractTypes: readonly IntegrationEventType[]): string[] {
  return (Object.entries(PUBLISHED_DOMAIN_EVENTS) as Array<[PublishedDomainEventType, IntegrationEventType]>)
    .filter(([domain, contract]) => [contract, ...(ALSO_PUBLISHED_AS[domain] ?? [])].some((t) => contractTypes.includes(t)))
    .map(([domain]) => domain);
}

/** Case events whose contract form needs the case facts of the submission. */
const NEEDS_CASE_FACTS = new Set<string>([
  'ApplicationResubmitted',
  'CaseAccepted',
  'ReviewOpinionRecorded',
  'ReviewOverdue',
  'ApplicationReturned',
  'ApplicationRejected',
  'AwardApproved',
  'AwardDisbursed',
  'PublicityObjectionRecorded',
  'AwardUpheld',
  'AwardWithdrawn',
  'AwardRevoked',
  'RecoveryOrdered',
  'RepaymentRecorded',
  'RecoverySettled',
  'RecheckRequired',
  'RecheckRecorded',
  'AwardLowered',
  'SupplementaryAwardApproved',
  'SupplementObjectionOverruled',
  'SupplementaryAwardRefused',
  'ProactiveCaseOpened',
]);

export function needsCaseFacts(event: RecordedEvent): boolean {
  return NEEDS_CASE_FACTS.has(event.type);
}

export class MissingCaseFacts extends Error {
  readonly code = 'missing-case-facts';
  constructor(readonly event: RecordedEvent) {
    super(
      `${event.type} at global position ${event.globalPosition} (stream ${event.streamId}): ` +
        'no ApplicationSubmitted found for its case, so it cannot be mapped to the contract',
    );
    this.name = 'MissingCaseFacts';
  }
}

/** USCC characters 3-8: the administrative division where the entity is registered. */
export function countyOf(uscc: string): string {
  return uscc.slice(2, 8);
}

const cny = (text: string): string => Money.parse(text, 'CNY').toString();
const usd = (text: string): string => Money.parse(text, 'USD').toString();
const usdOrNull = (text: string | null): string | null => (text === null ? null : usd(text));

function figures(f: CustomsFigures): CustomsFigures {
  return {
    export9610Usd: usd(f.export9610Usd),
    cbecImportUsd: usd(f.cbecImportUsd),
    cbecExportUsd: usd(f.cbecExportUsd),
    totalExportUsd: usd(f.totalExportUsd),
    platformLocalOnlineTradeUsd: usdOrNull(f.platformLocalOnlineTradeUsd ?? null),
  };
}

function fundMovement(d: { year: number; applicationId: string; commitmentId: string; amountCny: string }) {
  return { year: d.year, applicationId: d.applicationId, commitmentId: d.commitmentId, amountCny: cny(d.amountCny) };
}

export function caseFactsOf(submitted: ApplicationSubmitted['data']): CaseFacts {
  return {
    applicationId: submitted.applicationId,
    program: submitted.program,
    year: submitted.year,
    uscc: submitted.beneficiary.uscc,
    county: countyOf(submitted.beneficiary.uscc),
    beneficiaryKind: submitted.beneficiary.kind,
    leadUnit: submitted.leadUnit,
  };
}

/**
 * Maps one stored domain event to its contract event, or `null` when the type is not published.
 * Throws MissingCaseFacts when a case event's submission is unknown to `caseFacts` (never guesses).
 */
export function toIntegrationEvent(event: RecordedEvent, caseFacts: CaseFactsLookup): AnyIntegrationEvent | null {
  if (!isPublished(event.type)) return null;
  const facts = (applicationId: string): CaseFacts => {
    const found = caseFacts(applicationId);
    if (!found) throw new MissingCaseFacts(event);
    return found;
  };
  const ref = (f: CaseFacts) => ({ applicationId: f.applicationId, program: f.program, year: f.year });
  const ben = (f: CaseFacts) => ({ uscc: f.uscc, county: f.county });
  const envelope = <T extends IntegrationEventType>(t: T, data: IntegrationEventData[T]): IntegrationEvent<T> => ({
    eventId: event.eventId,
    type: t,
    schemaVersion: schemaVersionOf(t),
    occurredAt: event.metadata.occurredAt,
    streamId: event.streamId,
    streamVersion: event.version,
    globalPosition: event.globalPosition,
    correlationId: event.metadata.correlationId,
    data,
  });

  switch (event.type) {
    case 'ApplicationSubmitted': {
      const d = event.data as ApplicationSubmitted['data'];
      const f = caseFactsOf(d);
      return envelope('ApplicationSubmitted.v1', {
        ...ref(f),
        ...ben(f),
        beneficiaryKind: f.beneficiaryKind,
        leadUnit: d.leadUnit,
        cooperatingUnits: [...d.cooperatingUnits],
      });
    }
    case 'ApplicationResubmitted': {
      const f = facts((event.data as ApplicationResubmitted['data']).applicationId);
      return envelope('ApplicationResubmitted.v1', { ...ref(f), ...ben(f) });
    }
    case 'CaseAccepted': {
      const d = event.data as CaseAccepted['data'];
      const f = facts(d.applicationId);
      return envelope('ApplicationAccepted.v1', {
        ...ref(f),
        leadUnit: f.leadUnit,
        round: d.round,
        reviews: d.reviews.map((r) => ({ unit: r.unit, dueDate: r.dueDate })),
      });
    }
    case 'ReviewOpinionRecorded': {
      // The comment and its author stay inside: a report needs the verdict and the unit only.
      const d = event.data as ReviewOpinionRecorded['data'];
      const f = facts(d.applicationId);
      return envelope('ReviewOpinionRecorded.v1', { ...ref(f), round: d.round, unit: d.unit, verdict: d.verdict });
    }
    case 'ReviewOverdue': {
      const d = event.data as ReviewOverdue['data'];
      const f = facts(d.applicationId);
      return envelope('ReviewOverdue.v1', { ...ref(f), round: d.round, unit: d.unit, dueDate: d.dueDate, asOfDate: d.asOfDate });
    }
    case 'ApplicationReturned': {
      const d = event.data as ApplicationReturned['data'];
      const f = facts(d.applicationId);
      return envelope('ApplicationReturned.v1', { ...ref(f), leadUnit: f.leadUnit, fromStatus: d.fromStatus });
    }
    case 'ApplicationRejected': {
      const d = event.data as ApplicationRejected['data'];
      const f = facts(d.applicationId);
      return envelope('ApplicationRejected.v1', { ...ref(f), ...ben(f), leadUnit: f.leadUnit, fromStatus: d.fromStatus });
    }
    case 'AwardApproved': {
      const d = event.data as AwardApproved['data'];
      const f = facts(d.applicationId);
      const v1 = {
        ...ref(f),
        uscc: d.uscc,
        county: countyOf(d.uscc),
        beneficiaryKind: f.beneficiaryKind,
        amountCny: cny(d.amountCny),
        computedCny: cny(d.computedCny),
        approvableCny: cny(d.approvableCny),
        capApplied: d.capApplied ?? null,
        policyVersion: d.policyVersion,
      };
      if (!d.publicity) return envelope('AwardApproved.v1', v1);
      const { from, until, workingDays } = d.publicity;
      return envelope('AwardApproved.v2', { ...v1, publicity: { from, until, workingDays } });
    }
    case 'PublicityObjectionRecorded': {
      const d = event.data as PublicityObjectionRecorded['data'];
      const f = facts(d.applicationId);
      return envelope('PublicityObjectionRecorded.v1', { ...ref(f), ...ben(f), asOfDate: d.asOfDate });
    }
    case 'AwardUpheld': {
      const f = facts((event.data as AwardUpheld['data']).applicationId);
      return envelope('AwardUpheld.v1', { ...ref(f), ...ben(f) });
    }
    case 'AwardWithdrawn': {
      const d = event.data as AwardWithdrawn['data'];
      const f = facts(d.applicationId);
      return envelope('AwardWithdrawn.v1', { ...ref(f), ...ben(f), amountCny: cny(d.amountCny) });
    }
    case 'AwardRevoked': {
      const d = event.data as AwardRevoked['data'];
      const f = facts(d.applicationId);
      return envelope('AwardRevoked.v1', { ...ref(f), ...ben(f), amountCny: cny(d.amountCny), fromStatus: d.fromStatus });
    }
    case 'RecoveryOrdered': {
      const d = event.data as RecoveryOrdered['data'];
      const f = facts(d.applicationId);
      return envelope('RecoveryOrdered.v1', {
        ...ref(f),
        ...ben(f),
        recoveryId: d.recoveryId,
        amountCny: cny(d.amountCny),
        dueDate: d.dueDate,
        cause: d.cause,
      });
    }
    case 'RepaymentRecorded': {
      const d = event.data as RepaymentRecorded['data'];
      const f = facts(d.applicationId);
      return envelope('RepaymentRecorded.v1', {
        ...ref(f),
        ...ben(f),
        recoveryId: d.recoveryId,
        amountCny: cny(d.amountCny),
        outstandingCny: cny(d.outstandingCny),
      });
    }
    case 'RecoverySettled': {
      const d = event.data as RecoverySettled['data'];
      const f = facts(d.applicationId);
      return envelope('RecoverySettled.v1', { ...ref(f), ...ben(f), recoveryId: d.recoveryId, amountCny: cny(d.amountCny) });
    }
    case 'RecheckRequired': {
      const d = event.data as RecheckRequired['data'];
      const f = facts(d.applicationId);
      return envelope('RecheckRequired.v1', {
        ...ref(f),
        ...ben(f),
        approvedCny: cny(d.approvedCny),
        revisedCny: cny(d.revised.approvableCny),
        flaggedOn: d.flaggedOn,
      });
    }
    case 'RecheckRecorded': {
      const d = event.data as RecheckRecorded['data'];
      const f = facts(d.applicationId);
      return envelope('RecheckRecorded.v1', {
        ...ref(f),
        ...ben(f),
        outcome: d.outcome,
        approvedCny: cny(d.approvedCny),
        revisedCny: cny(d.revisedCny),
        differenceCny: cny(d.differenceCny),
      });
    }
    case 'AwardLowered': {
      const d = event.data as AwardLowered['data'];
      const f = facts(d.applicationId);
      return envelope('AwardLowered.v1', { ...ref(f), ...ben(f), fromCny: cny(d.fromCny), toCny: cny(d.toCny), differenceCny: cny(d.differenceCny) });
    }
    case 'SupplementaryAwardApproved': {
      const d = event.data as SupplementaryAwardApproved['data'];
      const f = facts(d.applicationId);
      return envelope('SupplementaryAwardApproved.v1', {
        ...ref(f),
        ...ben(f),
        supplementId: d.supplementId,
        amountCny: cny(d.amountCny),
        totalCny: cny(d.totalCny),
      });
    }
    case 'SupplementObjectionOverruled': {
      // The head's reason and user id stay inside: which unit objected is the figure a report needs.
      const d = event.data as SupplementObjectionOverruled['data'];
      const f = facts(d.applicationId);
      return envelope('SupplementObjectionOverruled.v1', { ...ref(f), ...ben(f), supplementId: d.supplementId, objectedBy: d.objectedBy });
    }
    case 'SupplementaryAwardRefused': {
      const d = event.data as SupplementaryAwardRefused['data'];
      const f = facts(d.applicationId);
      return envelope('SupplementaryAwardRefused.v1', { ...ref(f), ...ben(f), supplementId: d.supplementId, objectedBy: d.objectedBy });
    }
    case 'ProactiveCaseOpened': {
      const d = event.data as ProactiveCaseOpened['data'];
      const f = facts(d.applicationId);
      return envelope('ProactiveCaseOpened.v1', { ...ref(f), ...ben(f), declarationsPending: [...d.declarationsPending] });
    }
    case 'FundCommitmentReduced':
      return envelope('FundCommitmentReduced.v1', fundMovement(event.data as FundCommitmentReduced['data']));
    case 'FundRepaymentRecorded':
      // The repayment reference stays inside (a bank reference is not a reporting figure).
      return envelope('FundRepaymentRecorded.v1', fundMovement(event.data as FundRepaymentRecorded['data']));
    case 'AwardDisbursed': {
      const d = event.data as AwardDisbursed['data'];
      const f = facts(d.applicationId);
      return envelope('AwardDisbursed.v1', { ...ref(f), ...ben(f), amountCny: cny(d.amountCny) });
    }
    case 'FundBudgetAllocated': {
      const d = event.data as FundBudgetAllocated['data'];
      return envelope('FundBudgetAllocated.v1', { year: d.year, amountCny: cny(d.amountCny) });
    }
    case 'FundsCommitted':
      return envelope('FundsCommitted.v1', fundMovement(event.data as FundsCommitted['data']));
    case 'FundCommitmentReleased':
      return envelope('FundCommitmentReleased.v1', fundMovement(event.data as FundCommitmentReleased['data']));
    case 'FundPaymentRecorded':
      // The payment reference stays inside (a bank reference is not a reporting figure).
      return envelope('FundPaymentRecorded.v1', fundMovement(event.data as FundPaymentRecorded['data']));
    case 'CustomsStatisticsImported': {
      const d = event.data as CustomsStatisticsImported['data'];
      return envelope('CustomsStatisticsImported.v1', {
        year: d.year,
        uscc: d.uscc,
        county: countyOf(d.uscc),
        ...figures(d),
        batchId: d.batchId,
      });
    }
    case 'CustomsStatisticsRevised': {
      const d = event.data as CustomsStatisticsRevised['data'];
      return envelope('CustomsStatisticsRevised.v1', {
        year: d.year,
        uscc: d.uscc,
        county: countyOf(d.uscc),
        ...figures(d),
        batchId: d.batchId,
        previous: figures(d.previous),
      });
    }
  }
}
