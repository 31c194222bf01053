import { CASE_EVENT_TYPES, caseApprovalOf } from '@cbec/domain';
import type { AwardApproved, AwardDisbursed, CaseEvent, CaseStatus } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { fen } from '../runner/money-columns';
import type { Projection, ProjectionTx } from '../runner/projection';

/**
 * Case list and case detail: one row per case (`cases`) and one per review of each countersign round
 * (`case_reviews`). Statuses follow the case aggregate's `evolveCase` (a spec checks they agree).
 */
export interface CaseRow {
  application_id: string;
  program: string;
  year: number;
  uscc: string;
  beneficiary_kind: string;
  beneficiary_name: string | null;
  manufacturing: number | null;
  status: CaseStatus;
  lead_unit: string;
  cooperating_units: string;
  round: number;
  claims: string;
  policy_version: string;
  submitted_at: string;
  submitted_by: string;
  updated_at: string;
  version: number;
  position: number;
  return_reason: string | null;
  calendar_notes: string;
  objection: string | null;
  rejection: string | null;
  award_cny: bigint | null;
  approval: string | null;
  disbursement: string | null;
  /** 免申即享: JSON { openedBy, openedAt, declarationsPending, computation, confirmedBy, confirmedAt }, or null. */
  proactive: string | null;
}

export type ReviewStatus = 'pending' | 'approve' | 'reject' | 'withdrawn';

export interface CaseReviewRow {
  application_id: string;
  round: number;
  unit: string;
  due_date: string;
  status: ReviewStatus;
  overdue_as_of: string | null;
  comment: string | null;
  author: string | null;
  recorded_at: string | null;
}

const CASE_TYPES = new Set<string>(CASE_EVENT_TYPES);

export function isCaseEvent(event: RecordedEvent): event is RecordedEvent & CaseEvent {
  return event.streamId.startsWith('application-') && CASE_TYPES.has(event.type);
}

export const casesProjection: Projection = {
  name: 'cases',
  // 2: calendar_notes. 3: case_sequels (what followed the decision). 4: proactive (免申即享), 补发 and lowering.
  version: 4,
  tables: [
    {
      name: 'cases',
      ddl: `CREATE TABLE cases (
        application_id TEXT PRIMARY KEY,
        program TEXT NOT NULL,
        year INTEGER NOT NULL,
        uscc TEXT NOT NULL,
        beneficiary_kind TEXT NOT NULL,
        beneficiary_name TEXT,
        manufacturing INTEGER,
        status TEXT NOT NULL,
        lead_unit TEXT NOT NULL,
        cooperating_units TEXT NOT NULL,
        round INTEGER NOT NULL,
        claims TEXT NOT NULL,
        policy_version TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        submitted_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        position INTEGER NOT NULL,
        return_reason TEXT,
        calendar_notes TEXT NOT NULL DEFAULT '[]',
        objection TEXT,
        rejection TEXT,
        award_cny INTEGER,
        approval TEXT,
        disbursement TEXT,
        proactive TEXT
      )`,
      indexes: [
        'CREATE INDEX cases_by_uscc ON cases (uscc, year)',
        'CREATE INDEX cases_by_status ON cases (status, submitted_at)',
        'CREATE INDEX cases_by_submitted ON cases (submitted_at, application_id)',
      ],
      key: ['application_id'],
    },
    {
      name: 'case_reviews',
      ddl: `CREATE TABLE case_reviews (
        application_id TEXT NOT NULL,
        round INTEGER NOT NULL,
        unit TEXT NOT NULL,
        due_date TEXT NOT NULL,
        status TEXT NOT NULL,
        overdue_as_of TEXT,
        comment TEXT,
        author TEXT,
        recorded_at TEXT,
        PRIMARY KEY (application_id, round, unit)
      )`,
      key: ['application_id', 'round', 'unit'],
    },
    {
      // What followed the decision (公示 objections, upholding, withdrawal, revocation, recovery, repayments), in order.
      name: 'case_sequels',
      ddl: `CREATE TABLE case_sequels (
        application_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (application_id, position)
      )`,
      key: ['application_id', 'position'],
    },
  ],
  async apply(event, tx) {
    if (!isCaseEvent(event)) return;
    await applyCaseEvent(event, tx);
  },
};

async function applyCaseEvent(event: RecordedEvent & CaseEvent, tx: ProjectionTx): Promise<void> {
  const at = event.metadata.occurredAt;
  const id = event.data.applicationId;
  const touch = async (status: CaseStatus | null, set = '', ...params: unknown[]): Promise<void> => {
    await tx.run(
      `UPDATE cases SET status = COALESCE(?, status), updated_at = ?, version = ?, position = ?${set} WHERE application_id = ?`,
      status,
      at,
      event.version,
      event.globalPosition,
      ...params,
      id,
    );
  };
  const withdrawPending = async (): Promise<void> => {
    await tx.run(`UPDATE case_reviews SET status = 'withdrawn' WHERE application_id = ? AND status = 'pending'`, id);
  };
  switch (event.type) {
    case 'ApplicationSubmitted': {
      const d = event.data;
      await tx.run(
        `INSERT INTO cases (application_id, program, year, uscc, beneficiary_kind, beneficiary_name, manufacturing,
           status, lead_unit, cooperating_units, round, claims, policy_version, submitted_at, submitted_by,
           updated_at, version, position)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
        id,
        d.program,
        d.year,
        d.beneficiary.uscc,
        d.beneficiary.kind,
        d.beneficiary.name ?? null,
        d.beneficiary.manufacturing === undefined ? null : d.beneficiary.manufacturing ? 1 : 0,
        d.leadUnit,
        JSON.stringify(d.cooperatingUnits),
        JSON.stringify(d.claims),
        d.policyVersion,
        at,
        d.submittedBy,
        at,
        event.version,
        event.globalPosition,
      );
      return;
    }
    case 'CaseAccepted': {
      // The acceptance records `calendar-missing:<year>` when a due date was counted Monday–Friday for lack of
      // a calendar: the case must say so, never silently. The event's data is the source; acceptances
      // written before CaseAccepted had the field kept the notes in their metadata only.
      const legacy = event.metadata.notes;
      const notes = event.data.calendarNotes ?? (Array.isArray(legacy) ? legacy.filter((n): n is string => typeof n === 'string') : []);
      await touch('under-review', ', round = ?, calendar_notes = ?', event.data.round, JSON.stringify(notes));
      for (const r of event.data.reviews) {
        await tx.run(
          `INSERT INTO case_reviews (application_id, round, unit, due_date, status) VALUES (?, ?, ?, ?, 'pending')`,
          id,
          event.data.round,
          r.unit,
          r.dueDate,
        );
      }
      return;
    }
    case 'ApplicationReturned':
      await withdrawPending();
      await touch('returned', ', return_reason = ?', event.data.reason);
      return;
    case 'ApplicationResubmitted':
      await touch('submitted', ', claims = ?', JSON.stringify(event.data.claims));
      return;
    case 'ReviewOpinionRecorded': {
      const d = event.data;
      await tx.run(
        `UPDATE case_reviews SET status = ?, comment = ?, author = ?, recorded_at = ?
         WHERE application_id = ? AND round = ? AND unit = ?`,
        d.verdict,
        d.comment,
        d.author,
        at,
        id,
        d.round,
        d.unit,
      );
      await touch(null);
      return;
    }
    case 'ApplicationObjected': {
      const d = event.data;
      await withdrawPending();
      await touch('objected', ', objection = ?', JSON.stringify({ round: d.round, unit: d.objectingUnit, at }));
      return;
    }
    case 'ApplicationReadyForDecision':
      await touch('ready-for-decision');
      return;
    case 'ReviewOverdue': {
      const d = event.data;
      // The review stays pending: a late opinion is still accepted.
      await tx.run(
        `UPDATE case_reviews SET overdue_as_of = COALESCE(overdue_as_of, ?) WHERE application_id = ? AND round = ? AND unit = ?`,
        // The process's contract names only (applicationId, unit, round, dueDate): without asOfDate, the day it was recorded.
        d.asOfDate ?? at.slice(0, 10),
        id,
        d.round,
        d.unit,
      );
      await touch(null);
      return;
    }
    case 'AwardApproved':
      await touch('approved', ', award_cny = ?, approval = ?', fen(event.data.amountCny), JSON.stringify(approvalOf(event.data, at)));
      return;
    case 'ApplicationRejected': {
      const d = event.data;
      await withdrawPending();
      await touch('rejected', ', rejection = ?', JSON.stringify({ reason: d.reason, fromStatus: d.fromStatus, rejectedBy: d.rejectedBy, at }));
      return;
    }
    case 'AwardDisbursed':
      await touch('disbursed', ', disbursement = ?', JSON.stringify(disbursementOf(event.data, at)));
      return;
    case 'ProactiveCaseOpened': {
      const { applicationId: _case, ...opened } = event.data;
      await touch(null, ', proactive = ?', JSON.stringify({ ...opened, openedAt: at, confirmedBy: null, confirmedAt: null }));
      return;
    }
    case 'DeclarationsConfirmed': {
      const row = await tx.get<{ proactive: string | null }>(`SELECT proactive FROM cases WHERE application_id = ?`, id);
      const proactive = row?.proactive ? { ...(JSON.parse(row.proactive) as object), confirmedBy: event.data.confirmedBy, confirmedAt: at } : null;
      await touch(null, ', claims = ?, proactive = ?', JSON.stringify(event.data.claims), proactive && JSON.stringify(proactive));
      return;
    }
    case 'PublicityObjectionRecorded':
    case 'AwardUpheld':
    case 'AwardWithdrawn':
    case 'AwardRevoked':
    case 'RecoveryOrdered':
    case 'RepaymentRecorded':
    case 'RecoverySettled':
    case 'RecheckRequired':
    case 'RecheckRecorded':
    case 'SupplementaryAwardOpened':
    case 'SupplementOpinionRecorded':
    case 'SupplementaryAwardApproved':
    case 'SupplementObjectionOverruled':
    case 'SupplementaryAwardRefused':
    case 'SupplementDisbursed':
    case 'AwardLowered': {
      const { applicationId: _case, ...data } = event.data as { applicationId: string } & Record<string, unknown>;
      await tx.run(
        `INSERT INTO case_sequels (application_id, position, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)`,
        id,
        event.globalPosition,
        event.type,
        JSON.stringify(data),
        at,
      );
      if (event.type === 'AwardLowered') {
        // Lowered in place: the award is of the lowered amount from here on (payment is of it).
        const row = await tx.get<{ approval: string | null }>(`SELECT approval FROM cases WHERE application_id = ?`, id);
        const approval = row?.approval ? { ...(JSON.parse(row.approval) as object), amountCny: event.data.toCny } : null;
        await touch(null, ', award_cny = ?, approval = ?', fen(event.data.toCny), approval && JSON.stringify(approval));
        return;
      }
      await touch(SEQUEL_STATUS[event.type] ?? null);
      return;
    }
  }
}

/** The status each sequel leaves the case in (as evolveCase); the others leave it as it was. */
const SEQUEL_STATUS: Partial<Record<CaseEvent['type'], CaseStatus>> = {
  PublicityObjectionRecorded: 'publicity-objected',
  AwardUpheld: 'approved',
  AwardWithdrawn: 'withdrawn',
  AwardRevoked: 'revoked',
};

function approvalOf(d: AwardApproved['data'], at: string) {
  return { ...caseApprovalOf(d), approvedAt: at };
}

function disbursementOf(d: AwardDisbursed['data'], at: string) {
  return { paymentRef: d.paymentRef, amountCny: d.amountCny, commitmentId: d.commitmentId, disbursedBy: d.disbursedBy, disbursedAt: at };
}
