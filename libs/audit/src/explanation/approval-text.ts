import { approvableCnyOf, formatInstant, label, traceLine, type AwardApproved, type Locale } from '@cbec/domain';
import { explanationLabels, yuan } from './labels';

/**
 * One approved award as text for people, from its event alone (the audit bundle's explanations file):
 * program, beneficiary, amounts, approver and time in Beijing time, then each trace step rendered by the
 * same function as the case view, `evaluate` and `audit explain` (docs/chinese.md).
 */
export function approvalText(data: AwardApproved['data'], occurredAt: string, locale: Locale): string[] {
  const L = explanationLabels(locale);
  const lines = [
    `${L.case}: application-${data.applicationId}`,
    `${L.program}: ${data.program} ${label('program', data.program, locale)}`,
    `${L.year}: ${data.year}`,
    `${L.uscc}: ${data.uscc}`,
    `${L.policyVersion}: ${data.policyVersion}`,
    `${L.computedCny}: ${yuan(data.computedCny)}`,
    `${L.capApplied}: ${data.capApplied ? label('cap', data.capApplied, locale) : L.noCap}`,
    `${L.approvableCny}: ${yuan(approvableCnyOf(data))}`,
    `${L.amountCny}: ${yuan(data.amountCny)}`,
  ];
  if (data.reasonIfLower) lines.push(`${L.reasonIfLower}: ${data.reasonIfLower}`);
  lines.push(`${L.approvedBy}: ${data.approvedBy}`, `${L.approvedAt}: ${formatInstant(occurredAt, locale)}`, `${L.trace}:`);
  (data.trace ?? []).forEach((t, i) => lines.push(`  ${i + 1}. ${traceLine(t, locale)}`));
  return lines;
}
