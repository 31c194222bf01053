import { PROGRAM_IDS } from '@cbec/domain';
import { INTEGRATION_EVENT_TYPES, IntegrationEventType, schemaVersionOf } from './integration-events';

/**
 * JSON Schema (draft 2020-12) of every contract event, built here once and written to
 * `docs/integration-events/<type>.schema.json` by `npm run messaging:schemas`; a unit test fails when
 * the files on disk differ from these. `additionalProperties: false` everywhere: a field that is not in
 * the contract (a name, a comment, a payment reference) makes a message invalid.
 */

type Schema = Record<string, unknown>;

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', description, ...extra });
const money = (description: string): Schema => str(`${description}. Decimal string, exactly two decimals.`, { pattern: '^(0|[1-9][0-9]*)\\.[0-9]{2}$' });
const usd = (description: string): Schema => money(`${description}, USD`);
const date = (description: string): Schema => str(`${description}. ISO date YYYY-MM-DD.`, { pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const unit = (description: string): Schema =>
  str(`${description}. Unit code: FIN, COM, CUS, PBC or CTY-<code>.`, { pattern: '^(FIN|COM|CUS|PBC|CTY-[A-Za-z0-9-]+)$' });
const int = (description: string, minimum = 0): Schema => ({ type: 'integer', minimum, description });
const obj = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});

const applicationId = str('Case id; its stream is application-<applicationId>.', { minLength: 1 });
const program = {
  type: 'string',
  enum: [...PROGRAM_IDS],
  description: 'Award program of 六政办秘〔2019〕4号 四、支持政策 (docs/policy.md).',
};
const year = int('Program year (the year the award is for).', 2000);
const uscc = str('Unified social credit code (统一社会信用代码) of the beneficiary.', { pattern: '^[0-9A-HJ-NPQRTUWXY]{18}$' });
const county = str('Administrative-division code of the USCC (its characters 3-8): the county or district.', {
  pattern: '^[0-9]{6}$',
});
const beneficiaryKind = { type: 'string', enum: ['enterprise', 'platform', 'park'], description: 'What the beneficiary is.' };
const round = int('Countersign round (会签), 1 for the first acceptance, +1 per resubmission.', 1);
const caseStatus = {
  type: 'string',
  enum: ['submitted', 'returned', 'under-review', 'objected', 'ready-for-decision', 'approved', 'rejected', 'disbursed'],
};
const caseRef = { applicationId, program, year };
const beneficiaryRef = { uscc, county };
const customsFigures = {
  export9610Usd: usd('9610 (cross-border e-commerce B2C) exports'),
  cbecImportUsd: usd('Cross-border e-commerce imports'),
  cbecExportUsd: usd('Cross-border e-commerce exports'),
  totalExportUsd: usd('Total exports'),
  platformLocalOnlineTradeUsd: {
    oneOf: [usd('Online trade of local enterprises on the platform'), { type: 'null' }],
    description: 'Platforms only (P3a); null for others.',
  },
};
const fundYear = int('Year of the special fund (stream fund-<year>).', 2000);
const commitmentId = str('Id of the commitment on the fund.', { minLength: 1 });

/** The fields of an approval (AwardApproved.v1; v2 adds the publicity). */
const awardApproved = {
  ...caseRef,
  ...beneficiaryRef,
  beneficiaryKind,
  amountCny: money('Approved amount, CNY'),
  computedCny: money("Amount the rule computed before caps, CNY (as the policy engine's evaluate reports it)"),
  approvableCny: money('Most that could be approved after caps, CNY (approved may be lower with a reason, never higher)'),
  capApplied: { oneOf: [str('Cap that limited the amount'), { type: 'null' }], description: 'Which cap cut the amount, null when none did.' },
  policyVersion: str('Version of the policy parameters the computation used'),
};

const DATA: Record<IntegrationEventType, { description: string; data: Schema }> = {
  'ApplicationSubmitted.v1': {
    description: 'A case was opened and routed to its lead unit.',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      beneficiaryKind,
      leadUnit: unit('Unit that leads the case'),
      cooperatingUnits: { type: 'array', items: unit('A cooperating (reviewing) unit'), description: 'Units that review in each round.' },
    }),
  },
  'ApplicationResubmitted.v1': {
    description: 'A case returned for correction was resubmitted by the applicant.',
    data: obj({ ...caseRef, ...beneficiaryRef }),
  },
  'ApplicationAccepted.v1': {
    description: 'The lead unit accepted the case and opened a countersign round: one review per cooperating unit.',
    data: obj({
      ...caseRef,
      leadUnit: unit('Unit that accepted'),
      round,
      reviews: {
        type: 'array',
        description: 'The reviews opened, each with its due date (working days).',
        items: obj({ unit: unit('Reviewing unit'), dueDate: date('Last day for the opinion') }),
      },
    }),
  },
  'ReviewOpinionRecorded.v1': {
    description: 'A cooperating unit recorded its opinion (the comment and its author are not published).',
    data: obj({ ...caseRef, round, unit: unit('Reviewing unit'), verdict: { type: 'string', enum: ['approve', 'reject'] } }),
  },
  'ReviewOverdue.v1': {
    description: 'A review passed its due date without an opinion (emitted once per unit and round).',
    data: obj({ ...caseRef, round, unit: unit('Unit whose review is late'), dueDate: date('Due date'), asOfDate: date('Day it was found overdue') }),
  },
  'ApplicationReturned.v1': {
    description: 'The lead unit returned the case to the applicant for correction (the reason text is not published).',
    data: obj({ ...caseRef, leadUnit: unit('Unit that returned it'), fromStatus: { ...caseStatus, description: 'Status before the return.' } }),
  },
  'ApplicationRejected.v1': {
    description: 'The lead unit rejected the case (the reason text is not published).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      leadUnit: unit('Unit that rejected it'),
      fromStatus: { ...caseStatus, description: 'Status before the rejection.' },
    }),
  },
  'AwardApproved.v1': {
    description: 'The award was approved: caps reserved on the beneficiary and the amount committed on the fund.',
    data: obj(awardApproved),
  },
  'AwardApproved.v2': {
    description:
      'The award was approved (v1 and the publicity period, 公示): caps reserved on the beneficiary, the amount committed on the fund, paid only after the publicity.',
    data: obj({
      ...awardApproved,
      publicity: {
        oneOf: [
          obj({ from: date('First day of the publicity'), until: date('Last day of the publicity'), workingDays: int('Working days published', 1) }),
          { type: 'null' },
        ],
        description: 'The publicity period (公示); the award is paid only after `until`. Null: approved without one.',
      },
    }),
  },
  'PublicityObjectionRecorded.v1': {
    description: 'COM recorded an objection (异议) during the publicity; the case is back with the lead unit (source and detail are not published).',
    data: obj({ ...caseRef, ...beneficiaryRef, asOfDate: date('Day the objection was recorded') }),
  },
  'AwardUpheld.v1': {
    description: 'The lead unit upheld the award after an objection: it may be paid (the reason is not published).',
    data: obj({ ...caseRef, ...beneficiaryRef }),
  },
  'AwardWithdrawn.v1': {
    description: 'The lead unit withdrew the award after an objection: released from the caps and the fund (the reason is not published).',
    data: obj({ ...caseRef, ...beneficiaryRef, amountCny: money('Amount withdrawn, CNY') }),
  },
  'AwardRevoked.v1': {
    description: 'The FIN head revoked the award for fraud (骗取); a paid one is recovered (reason and evidence reference are not published).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      amountCny: money('Amount of the award revoked, CNY'),
      fromStatus: { type: 'string', enum: ['approved', 'publicity-objected', 'disbursed'], description: 'Status before the revocation.' },
    }),
  },
  'RecoveryOrdered.v1': {
    description: 'A recovery order (追回): the beneficiary owes the amount back by the due date.',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      recoveryId: str('Id of the recovery order', { minLength: 1 }),
      amountCny: money('Amount to recover, CNY'),
      dueDate: date('Due date'),
      cause: { type: 'string', enum: ['revocation', 'revision'], description: 'Revocation for fraud, or a customs revision that lowered the award.' },
    }),
  },
  'RepaymentRecorded.v1': {
    description: 'Money returned on a recovery order (the bank reference is not published).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      recoveryId: str('Id of the recovery order', { minLength: 1 }),
      amountCny: money('Amount returned, CNY'),
      outstandingCny: money('Amount still owed after it, CNY'),
    }),
  },
  'RecoverySettled.v1': {
    description: 'Every fen of a recovery order is back.',
    data: obj({ ...caseRef, ...beneficiaryRef, recoveryId: str('Id of the recovery order', { minLength: 1 }), amountCny: money('Amount recovered, CNY') }),
  },
  'RecheckRequired.v1': {
    description: '复核: a customs revision reached a decided award; its lead unit rechecks it (both computations stay inside: the case shows them).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      approvedCny: money('What the award counts for, CNY'),
      revisedCny: money('What the revised figures give, after caps recomputed across the enterprise’s awards of the year, CNY'),
      flaggedOn: date('Day it was flagged (Asia/Shanghai)'),
    }),
  },
  'RecheckRecorded.v1': {
    description: '复核 recorded by the lead unit: unchanged, lower (recovered when paid, lowered in place when not) or higher (a supplementary award 补发).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      outcome: { type: 'string', enum: ['unchanged', 'lower', 'higher'], description: 'The revised amount against what the award counts for.' },
      approvedCny: money('What the award counted for, CNY'),
      revisedCny: money('What the revised figures give, CNY'),
      differenceCny: money('The difference, CNY (0.00 when unchanged)'),
    }),
  },
  'AwardLowered.v1': {
    description: 'An unpaid award lowered in place after a recheck: the fund commitment and the caps follow; payment is of the lowered amount.',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      fromCny: money('Amount before, CNY'),
      toCny: money('Amount now, CNY'),
      differenceCny: money('Amount lowered by, CNY'),
    }),
  },
  'SupplementaryAwardApproved.v1': {
    description: '补发 approved after a recheck found the award higher: the difference only, committed on the fund of its own.',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      supplementId: str('Id of the supplementary award', { minLength: 1 }),
      amountCny: money('The supplementary amount (the difference), CNY'),
      totalCny: money('What the award counts for with it, CNY'),
    }),
  },
  'SupplementObjectionOverruled.v1': {
    description:
      '补发 approved by the lead unit’s head although a cooperating unit objected in the countersign; SupplementaryAwardApproved.v1 follows (the head’s reason is not published).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      supplementId: str('Id of the supplementary award', { minLength: 1 }),
      objectedBy: unit('The cooperating unit that objected'),
    }),
  },
  'SupplementaryAwardRefused.v1': {
    description:
      '补发 refused by the lead unit’s head after a cooperating unit objected: the supplement is closed, the award counts for what it did (the reason is not published).',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      supplementId: str('Id of the supplementary award', { minLength: 1 }),
      objectedBy: unit('The cooperating unit that objected'),
    }),
  },
  'ProactiveCaseOpened.v1': {
    description: '免申即享: COM opened a case because the customs statistics alone meet the program; it awaits the enterprise’s declarations.',
    data: obj({
      ...caseRef,
      ...beneficiaryRef,
      declarationsPending: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'The claims the enterprise declares before acceptance.' },
    }),
  },
  'FundCommitmentReduced.v1': {
    description: 'An unpaid commitment lowered in place (its award was lowered after a recheck): available again by the amount.',
    data: obj({ year: fundYear, applicationId, commitmentId, amountCny: money('Amount the commitment fell by, CNY') }),
  },
  'FundRepaymentRecorded.v1': {
    description: 'Money returned to the fund on a paid commitment (追回): committed and paid both fall by it.',
    data: obj({ year: fundYear, applicationId, commitmentId, amountCny: money('Amount returned, CNY') }),
  },
  'AwardDisbursed.v1': {
    description: 'The approved award was paid from the fund (the payment reference is not published).',
    data: obj({ ...caseRef, ...beneficiaryRef, amountCny: money('Amount paid, CNY') }),
  },
  'FundBudgetAllocated.v1': {
    description: "FIN added to the year's appropriation of the special fund.",
    data: obj({ year: fundYear, amountCny: money('Amount added, CNY') }),
  },
  'FundsCommitted.v1': {
    description: 'An approval committed an amount of the fund.',
    data: obj({ year: fundYear, applicationId, commitmentId, amountCny: money('Amount committed, CNY') }),
  },
  'FundCommitmentReleased.v1': {
    description: 'An unpaid commitment was given back to the fund (an approval that could not complete).',
    data: obj({ year: fundYear, applicationId, commitmentId, amountCny: money('Amount released, CNY') }),
  },
  'FundPaymentRecorded.v1': {
    description: 'A payment was made from the fund against a commitment (the payment reference is not published).',
    data: obj({ year: fundYear, applicationId, commitmentId, amountCny: money('Amount paid, CNY') }),
  },
  'CustomsStatisticsImported.v1': {
    description: 'Customs figures (海关统计数据) of one enterprise and year were imported (the enterprise name is not published).',
    data: obj({ year: int('Year the figures are for.', 2000), ...beneficiaryRef, ...customsFigures, batchId: str('Import batch id') }),
  },
  'CustomsStatisticsRevised.v1': {
    description: 'Different figures were imported for an enterprise and year already imported: these are in force from now on.',
    data: obj({
      year: int('Year the figures are for.', 2000),
      ...beneficiaryRef,
      ...customsFigures,
      batchId: str('Import batch id'),
      previous: obj(customsFigures, 'The figures in force before this revision.'),
    }),
  },
};

export const SCHEMA_BASE_ID = 'urn:cbec:integration-events:';

export function integrationEventSchema(type: IntegrationEventType): Schema {
  const { description, data } = DATA[type];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${SCHEMA_BASE_ID}${type}`,
    title: type,
    description,
    ...obj({
      eventId: str('Id of the event; the same on every redelivery: deduplicate by it.', { minLength: 1 }),
      type: { const: type },
      schemaVersion: { const: schemaVersionOf(type) },
      occurredAt: str('When it happened (ISO-8601 instant, from the workflow clock).', {
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$',
      }),
      streamId: str('Stream of the event store it belongs to; the Kafka key (one stream stays in order on one partition).', { minLength: 1 }),
      streamVersion: int('0-based position of the event in its stream.'),
      globalPosition: int('Position in the whole log, strictly increasing; the SSE id.', 1),
      correlationId: str('Id shared by everything one request caused.', { minLength: 1 }),
      data,
    }),
  };
}

export function allIntegrationEventSchemas(): Record<IntegrationEventType, Schema> {
  return Object.fromEntries(INTEGRATION_EVENT_TYPES.map((t) => [t, integrationEventSchema(t)])) as Record<IntegrationEventType, Schema>;
}
