import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../lib/api/client';

/**
 * The auditors' endpoints (`/api/v1/audit/*`, docs/auditing.md). Their OpenAPI answers are "JSON" without a
 * schema, so the shapes the screens read are spelled here, as libs/audit answers them.
 */
export interface AuditBreak {
  kind: string;
  streamId?: string;
  version?: number;
  globalPosition?: number;
  expected?: string;
  found?: string;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  headPosition: number;
  breaks: AuditBreak[];
  breaksOmitted: number;
  digests: { checked: number; lastSeq: number; lastPosition: number; eventsAfterLastDigest: number; publicKey: string };
  tree?: { treeSize?: number; rootHash?: string };
}

export interface HistoryEntry {
  globalPosition: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  recordedAt: string;
  occurredAt: string;
  actor: { user: string; unit: string; role: string; uscc?: string };
  commandId: string | null;
  correlationId: string;
  causationId: string | null;
  data: unknown;
  hash: string;
}

export interface StreamAsOf {
  streamId: string;
  at: { globalPosition: number } | { time: string };
  version: number;
  lastEvent: { eventId: string; type: string; globalPosition: number; recordedAt: string } | null;
  state: unknown;
}

export interface CustomsRecord {
  eventId?: string;
  year?: number;
  uscc?: string;
  [key: string]: unknown;
}

export interface ApprovalView {
  applicationId: string;
  approval: { approvalEventId: string; causationPosition: number };
  decision: {
    amountCny: string;
    computedCny: string;
    approvableCny: string;
    capApplied: string | null;
    policyVersion: string;
    approvedBy: string;
    approvedAt: string;
  };
  asSeen: { globalPosition: number; case: unknown; beneficiary: { state: unknown; totals: unknown }; fund: unknown; customs: CustomsRecord[] };
  customsUsed: CustomsRecord[];
  customsMissing: string[];
  customsNow: CustomsRecord[];
  revisedSinceApproval: boolean;
}

export interface CaseExplanation {
  applicationId: string;
  status: string;
  program: string | null;
  year: number | null;
  uscc: string | null;
  awards: { approvalEventId: string; approvedAt: string; approvedBy: string; policyVersion: string; amountCny: string; rendered: string[] }[];
}

export interface CausalChain {
  applicationId: string;
  streams: Record<string, number>;
  commands: { commandId: string; actor: HistoryEntry['actor']; firstPosition: number; events: number }[];
  events: (HistoryEntry & { link: string })[];
}

export interface ReadRecord {
  at: string;
  user: string;
  unit: string;
  role: string;
  method: string;
  path: string;
  applicationId: string | null;
  status: number;
}

/** The most read records one screen asks for (the server's limit is larger: the newest are what an auditor looks at first). */
export const READS_LIMIT = 200;

const caseStream = (id: string) => `application-${id}`;

export function useVerify() {
  return useMutation({ mutationFn: async () => unwrap(await api.GET('/api/v1/audit/verify')) as unknown as VerifyReport });
}

export function useStreamHistory(id: string) {
  return useQuery({
    queryKey: ['audit', id, 'history'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit/streams/{id}/history', { params: { path: { id: caseStream(id) } } })) as unknown as {
        streamId: string;
        version: number;
        events: HistoryEntry[];
      },
  });
}

/** The case as it stood at `at` (an ISO time with its offset, or a global position); nothing asked until `at` is given. */
export function useAsOf(id: string, at: string | null) {
  return useQuery({
    queryKey: ['audit', id, 'as-of', at],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/audit/streams/{id}/as-of', { params: { path: { id: caseStream(id) }, query: { at: at! } } })) as unknown as StreamAsOf,
    enabled: at !== null,
    placeholderData: keepPreviousData,
  });
}

export function useAsApproved(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', id, 'as-approved'],
    queryFn: async () => unwrap(await api.GET('/api/v1/audit/applications/{id}/as-approved', { params: { path: { id } } })) as unknown as ApprovalView[],
    enabled,
  });
}

export function useExplanation(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', id, 'explanation'],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/audit/applications/{id}/explanation', { params: { path: { id }, header: { 'accept-language': 'zh-CN' } } }),
      ) as unknown as CaseExplanation,
    enabled,
  });
}

export function useCausalChain(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', id, 'causal-chain'],
    queryFn: async () => unwrap(await api.GET('/api/v1/audit/applications/{id}/causal-chain', { params: { path: { id } } })) as unknown as CausalChain,
    enabled,
  });
}

export function useReads(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', id, 'reads'],
    queryFn: async () =>
      (unwrap(await api.GET('/api/v1/audit/reads', { params: { query: { applicationId: id, limit: READS_LIMIT } } })) as unknown as { reads: ReadRecord[] })
        .reads,
    enabled,
  });
}

/** The bundle's address: a plain link, so the browser downloads the zip with the session cookie. */
export const bundleHref = (id: string) => `/api/v1/audit/applications/${encodeURIComponent(id)}/bundle`;
