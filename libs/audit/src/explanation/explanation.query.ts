import { caseStreamId, formatInstant, label, readTraceStep, traceLine, type AwardApproved, type ExistingCase, type Locale, type TraceStep } from '@cbec/domain';
import type { EventStore } from '@cbec/event-store';
import { requireApplicationId } from '../shared/history-entry';
import { customsLookup, locateApprovals } from '../time-travel/approval-view.query';
import { foldStream } from '../time-travel/as-of.query';
import type { CustomsRecord } from '../time-travel/stream-kinds';
import { dollars, explanationLabels, yuan } from './labels';

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
  /** The steps as stored, read as structured steps (a step stored as text reads as code `legacy-text`). */
  trace: TraceStep[];
  customsUsed: CustomsRecord[];
  customsMissing: string[];
  /** 公示: published until `until` (null: approved before publicity existed). */
  publicity: { from: string; until: string; workingDays: number } | null;
  /** The award's life after the decision, in order: payment, objections, upholding, withdrawal, revocation, recovery, repayments. */
  life: Array<{ type: string; at: string; by: string; data: Record<string, unknown> }>;
  /** The same, readable: one line per fact in the locale (Chinese by default), amounts in yuan, times in Beijing time. */
  rendered: string[];
}

/** What the case records after an approval (the award's life until it is paid, withdrawn, revoked or recovered). */
const LIFE_TYPES = new Set([
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
  'SupplementaryAwardOpened',
  'SupplementOpinionRecorded',
  'SupplementaryAwardApproved',
  'SupplementDisbursed',
]);

export interface CaseExplanation {
  applicationId: string;
  status: string;
  program: string | null;
  year: number | null;
  uscc: string | null;
  awards: AwardExplanation[];
}

/** Why an approved amount is what it is: policy version, trace and the customs records used, as stored. */
export async function explainCase(store: EventStore, applicationIdInput: string, locale: Locale = 'zh-CN'): Promise<CaseExplanation> {
  const applicationId = requireApplicationId(applicationIdInput);
  const { caseEvents, approvals } = await locateApprovals(store, applicationId);
  const state = foldStream('case', caseEvents) as ExistingCase | { status: 'none' };
  const c = state.status === 'none' ? null : (state as ExistingCase);
  const awards: AwardExplanation[] = [];
  for (const { event, data } of approvals) {
    const customs = await customsLookup(store, data.customsEventIds ?? [], event.globalPosition);
    const next = caseEvents.find((e) => e.type === 'AwardApproved' && e.globalPosition > event.globalPosition);
    const life = caseEvents
      .filter((e) => LIFE_TYPES.has(e.type) && e.globalPosition > event.globalPosition && (!next || e.globalPosition < next.globalPosition))
      .map((e) => {
        const { applicationId: _case, ...rest } = e.data as Record<string, unknown>;
        // 复核: the line names what the revised figures give (both computations stay in `data`).
        const revised = e.type === 'RecheckRequired' ? { revisedCny: (rest.revised as { approvableCny?: string } | undefined)?.approvableCny ?? null } : {};
        return { type: e.type, at: e.metadata.occurredAt, by: e.metadata.actor.user, data: { ...rest, ...revised } };
      });
    awards.push({
      approvalEventId: event.eventId,
      approvedAt: event.metadata.occurredAt,
      approvedBy: data.approvedBy,
      policyVersion: data.policyVersion,
      amountCny: data.amountCny,
      computedCny: data.computedCny,
      approvableCny: data.approvableCny,
      capApplied: data.capApplied,
      reasonIfLower: data.reasonIfLower,
      trace: (data.trace ?? []).map(readTraceStep),
      customsUsed: customs.used,
      customsMissing: customs.missing,
      publicity: data.publicity,
      life,
      rendered: [...render(applicationId, c, data, event.metadata.occurredAt, customs.used, customs.missing, locale), ...renderLife(data, life, locale)],
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
  locale: Locale,
): string[] {
  const L = explanationLabels(locale);
  const sep = locale === 'en' ? ['(', ')', ', '] : ['（', '）', '，'];
  const aside = (text: string): string => `${sep[0]}${text}${sep[1]}`;
  const lines = [
    `${L.case}: ${caseStreamId(applicationId)}${c ? aside(`${L.status}: ${label('status', c.status, locale)}`) : ''}`,
    `${L.program}: ${d.program} ${label('program', d.program, locale)}`,
    `${L.year}: ${d.year}`,
    `${L.uscc}: ${d.uscc}${c?.beneficiary.name ? aside(c.beneficiary.name) : ''}`,
    `${L.policyVersion}: ${d.policyVersion}`,
    `${L.computedCny}: ${yuan(d.computedCny)}`,
    `${L.capApplied}: ${d.capApplied ? `${label('cap', d.capApplied, locale)}${aside(d.capApplied)}` : L.noCap}`,
    `${L.approvableCny}: ${yuan(d.approvableCny)}`,
    `${L.amountCny}: ${yuan(d.amountCny)}`,
  ];
  if (d.reasonIfLower) lines.push(`${L.reasonIfLower}: ${d.reasonIfLower}`);
  lines.push(`${L.approvedBy}: ${d.approvedBy}`, `${L.approvedAt}: ${formatInstant(approvedAt, locale)}`, `${L.trace}:`);
  (d.trace ?? []).forEach((t, i) => lines.push(`  ${i + 1}. ${traceLine(t, locale)}`));
  lines.push(`${L.customs}:`);
  if (customs.length === 0 && missing.length === 0) lines.push(`  ${L.none}`);
  for (const r of customs) {
    const f = r.figures;
    lines.push(
      `  ${f.year}${L.yearSuffix} ${f.uscc} ${f.name}${aside(`${L.customsEvent} ${r.eventId}, ${r.streamId} ${L.versionOf(r.version)}, ${r.type === 'CustomsStatisticsRevised' ? L.revised : L.imported}`)}: ` +
        `${L.export9610Usd} ${dollars(f.export9610Usd)}; ${L.cbecImportUsd} ${dollars(f.cbecImportUsd)}; ` +
        `${L.cbecExportUsd} ${dollars(f.cbecExportUsd)}; ${L.totalExportUsd} ${dollars(f.totalExportUsd)}` +
        (f.platformLocalOnlineTradeUsd !== null ? `; ${L.platformLocalOnlineTradeUsd} ${dollars(f.platformLocalOnlineTradeUsd)}` : ''),
    );
  }
  for (const id of missing) lines.push(`  ${L.customsMissing}: ${id}`);
  return lines;
}

/** The publicity and what followed the decision, one line per fact. */
function renderLife(d: AwardApproved['data'], life: AwardExplanation['life'], locale: Locale): string[] {
  const L = explanationLabels(locale);
  const lines = [`${L.publicity}: ${d.publicity ? `${d.publicity.from} – ${d.publicity.until} (${L.workingDays(d.publicity.workingDays)})` : L.noPublicity}`];
  lines.push(`${L.life}:`);
  if (life.length === 0) lines.push(`  ${L.none}`);
  for (const entry of life) {
    const facts = Object.entries(entry.data)
      .filter(([, v]) => v !== null && typeof v !== 'object')
      .map(([k, v]) => `${k} ${/Cny$/.test(k) ? yuan(String(v)) : String(v)}`)
      .join('; ');
    lines.push(`  ${formatInstant(entry.at, locale)} ${label('event', entry.type, locale)} (${entry.by}): ${facts}`);
  }
  return lines;
}
