import { BENEFICIARY_EVENT_TYPES, type BeneficiaryEvent } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { fen } from '../runner/money-columns';
import type { Projection, ProjectionTx } from '../runner/projection';

/**
 * Awards per beneficiary: one row per reservation on `beneficiary-<uscc>` (reserved -> confirmed |
 * released), plus what was paid (AwardDisbursed, on the case) and the municipal foreign-trade awards COM
 * recorded. Caps are not stored: the query reads them from the policy, so a new policy version needs no
 * rebuild.
 */
export type AwardStatus = 'reserved' | 'confirmed' | 'released';

export interface BeneficiaryAwardRow {
  reservation_id: string;
  uscc: string;
  application_id: string;
  program: string;
  year: number;
  amount_fen: bigint;
  computed_fen: bigint;
  cap_applied: string | null;
  status: AwardStatus;
  reserved_at: string;
  settled_at: string | null;
  disbursed_fen: bigint;
}

export interface ExternalAwardRow {
  uscc: string;
  year: number;
  ref: string;
  amount_fen: bigint | null;
  recorded_by: string;
  recorded_at: string;
}

const TYPES = new Set<string>(BENEFICIARY_EVENT_TYPES);

function isBeneficiaryEvent(event: RecordedEvent): event is RecordedEvent & BeneficiaryEvent {
  return event.streamId.startsWith('beneficiary-') && TYPES.has(event.type);
}

export const beneficiaryTotalsProjection: Projection = {
  name: 'beneficiary-totals',
  // 2: awards released after their decision (withdrawn, revoked) and reduced by repayments (追回).
  // 3: AwardAdjusted (补发, lowering in place).
  version: 3,
  tables: [
    {
      name: 'beneficiary_awards',
      ddl: `CREATE TABLE beneficiary_awards (
        reservation_id TEXT PRIMARY KEY,
        uscc TEXT NOT NULL,
        application_id TEXT NOT NULL,
        program TEXT NOT NULL,
        year INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL,
        computed_fen INTEGER NOT NULL,
        cap_applied TEXT,
        status TEXT NOT NULL,
        reserved_at TEXT NOT NULL,
        settled_at TEXT,
        disbursed_fen INTEGER NOT NULL DEFAULT 0
      )`,
      indexes: [
        'CREATE INDEX beneficiary_awards_by_uscc ON beneficiary_awards (uscc, year, program)',
        'CREATE INDEX beneficiary_awards_by_case ON beneficiary_awards (application_id)',
      ],
      key: ['reservation_id'],
    },
    {
      name: 'beneficiary_external_awards',
      ddl: `CREATE TABLE beneficiary_external_awards (
        uscc TEXT NOT NULL,
        year INTEGER NOT NULL,
        ref TEXT NOT NULL,
        amount_fen INTEGER,
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (uscc, year, ref)
      )`,
      key: ['uscc', 'year', 'ref'],
    },
  ],
  async apply(event, tx) {
    if (event.type === 'AwardDisbursed' && event.streamId.startsWith('application-')) {
      const d = event.data as { applicationId: string; amountCny: string };
      await tx.run(`UPDATE beneficiary_awards SET disbursed_fen = ? WHERE application_id = ? AND status <> 'released'`, fen(d.amountCny), d.applicationId);
      return;
    }
    if (isBeneficiaryEvent(event)) await applyBeneficiaryEvent(event, tx);
  },
};

async function applyBeneficiaryEvent(event: RecordedEvent & BeneficiaryEvent, tx: ProjectionTx): Promise<void> {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'AwardReserved': {
      const d = event.data;
      await tx.run(
        `INSERT INTO beneficiary_awards (reservation_id, uscc, application_id, program, year, amount_fen, computed_fen,
           cap_applied, status, reserved_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reserved', ?)`,
        d.reservationId,
        d.uscc,
        d.applicationId,
        d.program,
        d.year,
        fen(d.amountCny),
        fen(d.computedCny, 'computedCny'),
        d.capApplied,
        at,
      );
      return;
    }
    case 'ReservationConfirmed':
      await tx.run(
        `UPDATE beneficiary_awards SET status = 'confirmed', amount_fen = ?, settled_at = ? WHERE reservation_id = ?`,
        fen(event.data.amountCny),
        at,
        event.data.reservationId,
      );
      return;
    case 'ReservationReleased':
    case 'AwardReleased':
      await tx.run(`UPDATE beneficiary_awards SET status = 'released', settled_at = ? WHERE reservation_id = ?`, at, event.data.reservationId);
      return;
    case 'AwardRepaid': {
      const d = event.data;
      await tx.run(
        `UPDATE beneficiary_awards SET amount_fen = ?, disbursed_fen = CASE WHEN disbursed_fen > ? THEN disbursed_fen - ? ELSE 0 END,
           status = CASE WHEN CAST(? AS BIGINT) = 0 THEN 'released' ELSE status END
         WHERE reservation_id = ?`,
        fen(d.remainingCny),
        fen(d.amountCny),
        fen(d.amountCny),
        fen(d.remainingCny),
        d.reservationId,
      );
      return;
    }
    case 'AwardAdjusted':
      await tx.run(`UPDATE beneficiary_awards SET amount_fen = ? WHERE reservation_id = ?`, fen(event.data.toCny), event.data.reservationId);
      return;
    case 'ExternalAwardRecorded': {
      const d = event.data;
      await tx.run(
        `INSERT INTO beneficiary_external_awards (uscc, year, ref, amount_fen, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (uscc, year, ref) DO UPDATE SET amount_fen = excluded.amount_fen`,
        d.uscc,
        d.year,
        d.ref,
        d.amountCny === null ? null : fen(d.amountCny),
        d.recordedBy,
        at,
      );
      return;
    }
    case 'RecruitCounted':
      return;
  }
}
