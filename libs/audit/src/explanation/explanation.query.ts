import { caseStreamId, type AwardApproved, type ExistingCase, type TraceStep, approvableCnyOf } from '@cbec/domain';
import type { EventStore } from '@cbec/event-store';
import { requireApplicationId } from '../shared/history-entry';
import { customsLookup, locateApprovals } from '../time-travel/approval-view.query';
import { foldStream } from '../time-travel/as-of.query';
import type { CustomsRecord } from '../time-travel/stream-kinds';
import { dollars, LABELS, PROGRAM_LABELS, renderMoneyIn, STATUS_LABELS, yuan } from './labels';

export interface AwardExplanation {
  approvalEventId: string;
  approvedAt: string;
  approvedBy: string;
  policyVersion: string;
  amountCny: string;
  /** Before caps, as `evaluate`. */
  computedCny: string;
  /** After caps: the most the head could approve. */
  approvableCny: string;
  capApplied: string | null;
  reasonIfLower: string | null;
  trace: TraceStep[];
  customsUsed: CustomsRecord[];
  customsMissing: string[];
  /** The same, readable: one line per fact, Chinese labels, amounts in yuan. */
  rendered: string[];
}

export interface CaseExplanation {
  applicationId: string;
  status: string;
  program: string | null;
  year: number | null;
  uscc: string | null;
  awards: AwardExplanation[];
}

/** Why an approved amount is what it is: policy version, trace and the customs records used, as stored. */
export async function explainCase(store: EventStore, applicationIdInput: string): Promise<CaseExplanation> {
  const applicationId = requireApplicationId(applicationIdInput);
  const { caseEvents, approvals } = await locateApprovals(store, applicationId);
  const state = foldStream('case', caseEvents) as ExistingCase | { status: 'none' };
  const c = state.status === 'none' ? null : (state as ExistingCase);
  const awards: AwardExplanation[] = [];
  for (const { event, data } of approvals) {
    const customs = await customsLookup(store, data.customsEventIds ?? [], event.globalPosition);
    awards.push({
      approvalEventId: event.eventId,
      approvedAt: event.metadata.occurredAt,
      approvedBy: data.approvedBy,
      policyVersion: data.policyVersion,
      amountCny: data.amountCny,
      computedCny: data.computedCny,
      approvableCny: approvableCnyOf(data),
      capApplied: data.capApplied,
      reasonIfLower: data.reasonIfLower,
      trace: data.trace,
      customsUsed: customs.used,
      customsMissing: customs.missing,
      rendered: render(applicationId, c, data, event.metadata.occurredAt, customs.used, customs.missing),
    });
  }
  return {
    applicationId,
    status: state.status,
    program: c?.program ?? null,
    year: c?.year ?? null,
    uscc: c?.beneficiary.uscc ?? null,
    awards,
  };
}

function render(
  applicationId: string,
  c: ExistingCase | null,
  d: AwardApproved['data'],
  approvedAt: string,
  customs: CustomsRecord[],
  missing: string[],
): string[] {
  const lines = [
    `案件: ${caseStreamId(applicationId)}${c ? `（${LABELS.status}: ${STATUS_LABELS[c.status] ?? c.status}）` : ''}`,
    `${LABELS.program}: ${d.program} ${PROGRAM_LABELS[d.program] ?? ''}`.trimEnd(),
    `${LABELS.year}: ${d.year}`,
    `${LABELS.uscc}: ${d.uscc}${c?.beneficiary.name ? `（${c.beneficiary.name}）` : ''}`,
    `${LABELS.policyVersion}: ${d.policyVersion}`,
    `${LABELS.computedCny}: ${yuan(d.computedCny)}`,
    `${LABELS.capApplied}: ${d.capApplied ? renderMoneyIn(d.capApplied) : LABELS.noCap}`,
    `${LABELS.approvableCny}: ${yuan(approvableCnyOf(d))}`,
    `${LABELS.amountCny}: ${yuan(d.amountCny)}`,
  ];
  if (d.reasonIfLower) lines.push(`${LABELS.reasonIfLower}: ${d.reasonIfLower}`);
  lines.push(`${LABELS.approvedBy}: ${d.approvedBy}`, `${LABELS.approvedAt}: ${approvedAt}`, `${LABELS.trace}:`);
  d.trace.forEach((t, i) => {
    lines.push(`  ${i + 1}. ${renderMoneyIn(t.step)} = ${renderMoneyIn(t.value)}${t.source ? `（${LABELS.source}: ${t.source}）` : ''}`);
  });
  lines.push(`${LABELS.customs}:`);
  if (customs.length === 0 && missing.length === 0) lines.push('  （无）');
  for (const r of customs) {
    const f = r.figures;
    lines.push(
      `  ${f.year}年 ${f.uscc} ${f.name}（${LABELS.customsEvent} ${r.eventId}, ${r.streamId} 第${r.version}号, ${r.type === 'CustomsStatisticsRevised' ? '修订' : '导入'}）: ` +
        `${LABELS.export9610Usd} ${dollars(f.export9610Usd)}; ${LABELS.cbecImportUsd} ${dollars(f.cbecImportUsd)}; ` +
        `${LABELS.cbecExportUsd} ${dollars(f.cbecExportUsd)}; ${LABELS.totalExportUsd} ${dollars(f.totalExportUsd)}` +
        (f.platformLocalOnlineTradeUsd !== null ? `; ${LABELS.platformLocalOnlineTradeUsd} ${dollars(f.platformLocalOnlineTradeUsd)}` : ''),
    );
  }
  for (const id of missing) lines.push(`  ${LABELS.customsMissing}: ${id}`);
  return lines;
}
