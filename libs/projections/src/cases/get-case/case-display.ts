import { approvableCnyOf, formatInstant, formatMoney, label, renderTrace, type Locale } from '@cbec/domain';
import type { CaseDetail } from './get-case.query';

/**
 * The case as people read it, beside the contract's codes and decimal strings (which stay as they are,
 * docs/api.md): labels from the one catalogue, amounts as ¥1,234.56, times in Beijing time with the zone
 * named (docs/chinese.md). The web workbench draws these; machines keep reading the codes.
 */
export interface CaseDisplay {
  locale: Locale;
  program: string;
  status: string;
  leadUnit: string;
  cooperatingUnits: string[];
  /** The district or county of the beneficiary's registration (its USCC's division code). */
  county: string;
  submittedAt: string;
  updatedAt: string;
  awaiting: Array<{ unit: string; step: string; dueDate: string | null }>;
  opinions: Array<{ unit: string; verdict: string; recordedAt: string }>;
  award: { amountCny: string; computedCny: string; approvableCny: string; capApplied: string | null; approvedAt: string } | null;
  awardPreview: { amountCny: string; computedCny: string; capApplied: string | null; reasons: string[] } | null;
  disbursement: { amountCny: string; disbursedAt: string } | null;
}

/** Characters 3-8 of a USCC: the administrative division of registration (GB 32100). */
export function divisionOf(uscc: string): string {
  return uscc.slice(2, 8);
}

/** `detail` with its traces rendered in `locale` and its `display` companion. */
export function renderCaseDetail(detail: CaseDetail, locale: Locale): CaseDetail & { display: CaseDisplay } {
  const yuan = (amount: string): string => formatMoney(amount, 'CNY');
  const award = detail.award === null ? null : { ...detail.award, trace: renderTrace(detail.award.trace, locale) };
  const preview = detail.awardPreview;
  const awardPreview = preview === null ? null : 'trace' in preview ? { ...preview, trace: renderTrace(preview.trace, locale) } : preview;
  const display: CaseDisplay = {
    locale,
    program: label('program', detail.program, locale),
    status: label('status', detail.status, locale),
    leadUnit: label('unit', detail.leadUnit, locale),
    cooperatingUnits: detail.cooperatingUnits.map((u) => label('unit', u, locale)),
    county: label('division', divisionOf(detail.beneficiary.uscc), locale),
    submittedAt: formatInstant(detail.submittedAt, locale),
    updatedAt: formatInstant(detail.updatedAt, locale),
    awaiting: detail.awaiting.map((a) => ({ unit: label('unit', a.unit, locale), step: label('next-step', a.step, locale), dueDate: a.dueDate })),
    opinions: detail.opinions.map((o) => ({
      unit: label('unit', o.unit, locale),
      verdict: label('verdict', o.verdict, locale),
      recordedAt: formatInstant(o.recordedAt, locale),
    })),
    award:
      detail.award === null
        ? null
        : {
            amountCny: yuan(detail.award.amountCny),
            computedCny: yuan(detail.award.computedCny),
            approvableCny: yuan(approvableCnyOf(detail.award)),
            capApplied: detail.award.capApplied === null ? null : label('cap', detail.award.capApplied, locale),
            approvedAt: formatInstant(detail.award.approvedAt, locale),
          },
    awardPreview:
      preview === null || !('trace' in preview)
        ? null
        : {
            amountCny: yuan(preview.amountCny),
            computedCny: yuan(preview.computedCny),
            capApplied: preview.capApplied === null ? null : label('cap', preview.capApplied, locale),
            reasons: preview.reasons.map((r) => label('reason', r, locale)),
          },
    disbursement:
      detail.disbursement === null
        ? null
        : { amountCny: yuan(detail.disbursement.amountCny), disbursedAt: formatInstant(detail.disbursement.disbursedAt, locale) },
  };
  return { ...detail, award, awardPreview, display };
}
