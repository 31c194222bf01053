import { useQuery } from '@tanstack/react-query';
import { afterMyWrites, api, sawPosition, unwrap } from '../../lib/api/client';
import type { CaseAction, CaseDetail } from './allowed-actions';

/** The case's `display` block and trace in Chinese (docs/chinese.md). */
const ZH = { 'accept-language': 'zh-CN' };

export const caseKey = (id: string) => ['case', id] as const;
export const historyKey = (id: string) => ['case', id, 'history'] as const;

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/applications/{id}', { params: { path: { id }, header: ZH, query: afterMyWrites() } })),
  });
}

export function useHistory(id: string) {
  return useQuery({
    queryKey: historyKey(id),
    queryFn: async () => unwrap(await api.GET('/api/v1/applications/{id}/history', { params: { path: { id } } })),
  });
}

export function useFund(year: number, enabled: boolean) {
  return useQuery({
    queryKey: ['fund', year],
    queryFn: async () => unwrap(await api.GET('/api/v1/funds/{year}', { params: { path: { year: String(year) } } })),
    enabled,
  });
}

export interface ActionInput {
  reason?: string;
  comment?: string;
  amountCny?: string;
  reasonIfLower?: string;
  paymentRef?: string;
  /** 提出异议: where the objection came from, and what it says. */
  source?: string;
  detail?: string;
  /** 撤销: the reference of the evidence (a police or audit file). */
  evidenceRef?: string;
  /** 登记还款: the recovery order, the bank reference and the yuan returned. */
  recoveryId?: string;
  repaymentRef?: string;
  /** 确认并声明 (免申即享): the claims the case awaits, as a submission's. */
  declarations?: Record<string, unknown>;
}

/**
 * One command endpoint per action, each with `If-Match: <version>` of the case as shown: a case changed
 * by someone else meanwhile is refused (409) instead of overwritten.
 */
export async function runAction(c: CaseDetail, action: CaseAction, input: ActionInput): Promise<void> {
  const params = { path: { id: c.applicationId }, header: { 'If-Match': String(c.version) } };
  sawPosition(unwrap(await send(action, params, input)));
}

type Params = { path: { id: string }; header: { 'If-Match': string } };

function send(action: CaseAction, params: Params, input: ActionInput) {
  switch (action) {
    case 'accept':
      return api.POST('/api/v1/applications/{id}/acceptance', { params });
    case 'return':
      return api.POST('/api/v1/applications/{id}/return', { params, body: { reason: input.reason ?? '' } });
    case 'approve-opinion':
    case 'reject-opinion':
      return api.POST('/api/v1/applications/{id}/opinions', {
        params,
        body: { verdict: action === 'approve-opinion' ? 'approve' : 'reject', comment: input.comment ?? '' },
      });
    case 'approve':
      return api.POST('/api/v1/applications/{id}/approval', {
        params,
        body: { ...(input.amountCny ? { amountCny: input.amountCny } : {}), ...(input.reasonIfLower ? { reasonIfLower: input.reasonIfLower } : {}) },
      });
    case 'reject':
      return api.POST('/api/v1/applications/{id}/rejection', { params, body: { reason: input.reason ?? '' } });
    case 'disburse':
      return api.POST('/api/v1/applications/{id}/disbursement', { params, body: { paymentRef: input.paymentRef ?? '' } });
    case 'object':
      return api.POST('/api/v1/applications/{id}/publicity-objections', { params, body: { source: input.source ?? '', detail: input.detail ?? '' } });
    case 'uphold':
    case 'withdraw':
      return api.POST('/api/v1/applications/{id}/objection-decision', { params, body: { decision: action, reason: input.reason ?? '' } });
    case 'revoke':
      return api.POST('/api/v1/applications/{id}/revocation', { params, body: { reason: input.reason ?? '', evidenceRef: input.evidenceRef ?? '' } });
    case 'repay':
      return api.POST('/api/v1/applications/{id}/repayments', {
        params,
        body: { recoveryId: input.recoveryId ?? '', repaymentRef: input.repaymentRef ?? '', amountCny: input.amountCny ?? '' },
      });
    case 'recheck':
      return api.POST('/api/v1/applications/{id}/recheck', { params });
    case 'supplement-approve-opinion':
    case 'supplement-reject-opinion':
      return api.POST('/api/v1/applications/{id}/supplement/opinions', {
        params,
        body: { verdict: action === 'supplement-approve-opinion' ? 'approve' : 'reject', comment: input.comment ?? '' },
      });
    case 'supplement-approve':
      return api.POST('/api/v1/applications/{id}/supplement/approval', { params });
    case 'supplement-disburse':
      return api.POST('/api/v1/applications/{id}/supplement/disbursement', { params, body: { paymentRef: input.paymentRef ?? '' } });
    case 'supplement-overrule':
    case 'supplement-refuse':
      return api.POST('/api/v1/applications/{id}/supplement/objection-decision', {
        params,
        body: { decision: action === 'supplement-overrule' ? 'approve' : 'refuse', reason: input.reason ?? '' },
      });
    case 'confirm':
      return api.POST('/api/v1/applications/{id}/declarations', { params, body: { declarations: input.declarations ?? {} } });
  }
}
