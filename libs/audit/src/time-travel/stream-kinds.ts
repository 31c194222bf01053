import {
  accountDecider,
  activeReservations,
  beneficiaryDecider,
  BeneficiaryState,
  caseDecider,
  fundDecider,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';

export type StreamKind = 'case' | 'beneficiary' | 'fund' | 'customs' | 'account' | 'other';

export function streamKind(streamId: string): StreamKind {
  if (streamId.startsWith('application-')) return 'case';
  if (streamId.startsWith('beneficiary-')) return 'beneficiary';
  if (streamId.startsWith('fund-')) return 'fund';
  if (streamId.startsWith('customs-')) return 'customs';
  if (streamId.startsWith('account-')) return 'account';
  return 'other';
}

type AnyDecider = Decider<DomainCommand, DomainEvent, unknown>;

/** The domain decider whose `evolve` folds a stream of this kind (customs has an audit fold of its own). */
export function deciderFor(kind: StreamKind): AnyDecider | null {
  switch (kind) {
    case 'case':
      return caseDecider as unknown as AnyDecider;
    case 'beneficiary':
      return beneficiaryDecider as unknown as AnyDecider;
    case 'fund':
      return fundDecider as unknown as AnyDecider;
    // Who held which grant, enabled or locked, at a moment (the state names a password by its credential id only).
    case 'account':
      return accountDecider as unknown as AnyDecider;
    default:
      return null;
  }
}

export function toDomainEvent(e: RecordedEvent): DomainEvent {
  return { type: e.type, data: e.data as object };
}

// --- customs: the figures in force per (year, uscc), with the event that set them -------------------

export interface CustomsFigures {
  year: number;
  uscc: string;
  name: string;
  export9610Usd: string;
  cbecImportUsd: string;
  cbecExportUsd: string;
  totalExportUsd: string;
  platformLocalOnlineTradeUsd: string | null;
}

export interface CustomsRecord {
  eventId: string;
  type: string;
  streamId: string;
  version: number;
  globalPosition: number;
  recordedAt: string;
  figures: CustomsFigures;
}

/** The figures an import or a revision set; null for any other event (a CustomsBatchUnchanged sets none). */
export function customsRecord(e: RecordedEvent): CustomsRecord | null {
  if (e.type !== 'CustomsStatisticsImported' && e.type !== 'CustomsStatisticsRevised') return null;
  const d = e.data as Record<string, unknown>;
  return {
    eventId: e.eventId,
    type: e.type,
    streamId: e.streamId,
    version: e.version,
    globalPosition: e.globalPosition,
    recordedAt: e.recordedAt,
    figures: {
      year: d.year as number,
      uscc: d.uscc as string,
      name: d.name as string,
      export9610Usd: d.export9610Usd as string,
      cbecImportUsd: d.cbecImportUsd as string,
      cbecExportUsd: d.cbecExportUsd as string,
      totalExportUsd: d.totalExportUsd as string,
      platformLocalOnlineTradeUsd: (d.platformLocalOnlineTradeUsd ?? null) as string | null,
    },
  };
}

/** Customs figures in force, keyed `<year>/<uscc>`: the latest import or revision of each. */
export type CustomsInForce = Record<string, CustomsRecord>;

export function foldCustoms(state: CustomsInForce, e: RecordedEvent): CustomsInForce {
  const r = customsRecord(e);
  if (!r) return state;
  state[`${r.figures.year}/${r.figures.uscc}`] = r;
  return state;
}

// --- beneficiary totals ------------------------------------------------------------------------------

const fen = (s: string): bigint => {
  const [whole, frac = ''] = s.split('.');
  return BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
};
const yuan = (minor: bigint): string => {
  const s = minor.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
};

export interface BeneficiaryTotals {
  /** year -> program -> { reserved, confirmed, total } (released reservations excluded). */
  byYear: Record<string, Record<string, { reservedCny: string; confirmedCny: string; totalCny: string }>>;
}

export function beneficiaryTotals(state: BeneficiaryState): BeneficiaryTotals {
  const acc: Record<string, Record<string, { reserved: bigint; confirmed: bigint }>> = {};
  for (const r of activeReservations(state)) {
    const y = (acc[String(r.year)] ??= {});
    const p = (y[r.program] ??= { reserved: 0n, confirmed: 0n });
    if (r.status === 'confirmed') p.confirmed += fen(r.amountCny);
    else p.reserved += fen(r.amountCny);
  }
  const byYear: BeneficiaryTotals['byYear'] = {};
  for (const [year, programs] of Object.entries(acc)) {
    byYear[year] = {};
    for (const [program, t] of Object.entries(programs)) {
      byYear[year][program] = { reservedCny: yuan(t.reserved), confirmedCny: yuan(t.confirmed), totalCny: yuan(t.reserved + t.confirmed) };
    }
  }
  return { byYear };
}
