import { usccCheckCharacter } from '@cbec/uscc';
import type { Program } from '../../lib/programs';

/** What kind of beneficiary each program is for (docs/policy.md). */
export const KIND: Record<Program, 'enterprise' | 'platform' | 'park'> = {
  P1: 'enterprise',
  P2a: 'enterprise',
  P2b: 'enterprise',
  P3a: 'platform',
  P3b: 'platform',
  P4: 'park',
};

/**
 * P3a's services (四（三）: 通关、物流、融资、退税、结汇), by the codes the API takes; the policy version says which
 * are required (`p3a.requiredServices`, docs/policy.md). A service counts only with its evidence.
 */
export const PLATFORM_SERVICES = [
  { service: 'customs-clearance', zh: '通关' },
  { service: 'logistics', zh: '物流' },
  { service: 'financing', zh: '融资' },
  { service: 'tax-refund', zh: '退税' },
  { service: 'fx-settlement', zh: '结汇' },
] as const;
export type PlatformServiceCode = (typeof PLATFORM_SERVICES)[number]['service'];

/** Money in yuan as the API takes it: digits, at most two decimals. */
export const MONEY = /^\d{1,13}(\.\d{1,2})?$/;

/** The USCC check of GB 32100-2015, as the server's (the same code): null when valid, else what is wrong. */
export function usccProblem(text: string): string | null {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{18}$/.test(text)) return '统一社会信用代码为18位数字或大写字母（不含I、O、S、V、Z）';
  if (!/^[0-9]{6}$/.test(text.slice(2, 8))) return '统一社会信用代码第3至8位应为行政区划代码';
  const expected = usccCheckCharacter(text.slice(0, 17));
  return text[17] === expected ? null : `统一社会信用代码校验位有误（应为 ${expected}）`;
}

/** The form's values, by program (every field optional here; the form's rules require each program's). */
export interface ClaimValues {
  otherMunicipalTradeAward?: boolean;
  waivesOtherMunicipalAward?: boolean;
  manufacturing?: boolean;
  promotesOnThirdPartyPlatform?: boolean;
  platformFees?: { amount?: string; invoiceRef?: string }[];
  investmentCny?: string;
  operatingSince?: string;
  /** One USCC a line, as typed. */
  servedEnterprises?: string;
  /** P3a: the evidence of each service offered (contract, agreement number), by service code; blank: not offered. */
  serviceEvidence?: Partial<Record<PlatformServiceCode, string>>;
  recruits?: string;
  documentNo?: string;
  recognitionDate?: string;
}

/** The `claims` the API expects for `program` (docs/api.md; libs/domain/src/policy/parse-evaluation-input.ts). */
export function claimsFor(program: Program, v: ClaimValues): Record<string, unknown> {
  switch (program) {
    case 'P1':
      return { otherMunicipalTradeAward: v.otherMunicipalTradeAward === true, ...(v.waivesOtherMunicipalAward ? { waivesOtherMunicipalAward: true } : {}) };
    case 'P2a':
      return {
        promotesOnThirdPartyPlatform: v.promotesOnThirdPartyPlatform === true,
        platformFeesCny: (v.platformFees ?? []).map((f) => (f.invoiceRef ? { amountCny: f.amount, invoiceRef: f.invoiceRef } : f.amount)),
      };
    case 'P2b':
      return {};
    case 'P3a':
      return {
        investmentCny: v.investmentCny,
        operatingSince: v.operatingSince,
        servedEnterprises: usccLines(v.servedEnterprises),
        services: PLATFORM_SERVICES.flatMap(({ service: code }) => {
          const evidence = v.serviceEvidence?.[code]?.trim();
          return evidence ? [{ service: code, evidence }] : [];
        }),
      };
    case 'P3b':
      return { recruits: usccLines(v.recruits) };
    case 'P4':
      return { provincialRecognition: { documentNo: v.documentNo, date: v.recognitionDate } };
  }
}

/** The form's values from a case's stored claims (重新提交 starts from what was sent). */
export function valuesFrom(claims: Record<string, unknown>): ClaimValues {
  const fees = Array.isArray(claims.platformFeesCny) ? (claims.platformFeesCny as unknown[]) : [];
  const recognition = (claims.provincialRecognition ?? {}) as { documentNo?: string; date?: string };
  const declared = Array.isArray(claims.services) ? (claims.services as { service?: string; evidence?: string }[]) : [];
  const serviceEvidence: Partial<Record<PlatformServiceCode, string>> = {};
  for (const { service: code, zh } of PLATFORM_SERVICES) {
    const found = declared.find((d) => d.service === code || d.service === zh);
    if (found?.evidence) serviceEvidence[code] = found.evidence;
  }
  return {
    otherMunicipalTradeAward: claims.otherMunicipalTradeAward === true,
    waivesOtherMunicipalAward: claims.waivesOtherMunicipalAward === true,
    promotesOnThirdPartyPlatform: claims.promotesOnThirdPartyPlatform === true,
    platformFees: fees.map((f) =>
      typeof f === 'string' ? { amount: f } : { amount: (f as { amountCny?: string }).amountCny, invoiceRef: (f as { invoiceRef?: string }).invoiceRef },
    ),
    investmentCny: typeof claims.investmentCny === 'string' ? claims.investmentCny : undefined,
    operatingSince: typeof claims.operatingSince === 'string' ? claims.operatingSince : undefined,
    servedEnterprises: Array.isArray(claims.servedEnterprises) ? (claims.servedEnterprises as string[]).join('\n') : undefined,
    serviceEvidence,
    recruits: Array.isArray(claims.recruits) ? (claims.recruits as string[]).join('\n') : undefined,
    documentNo: recognition.documentNo,
    recognitionDate: recognition.date,
  };
}

/** The non-empty lines of a text area, trimmed: one USCC each. */
export function usccLines(text: string | undefined): string[] {
  return (text ?? '')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
