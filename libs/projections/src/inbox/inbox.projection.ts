import type { CaseEvent } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { isCaseEvent } from '../cases/cases.projection';
import type { Projection, ProjectionTx } from '../runner/projection';

/**
 * What awaits each unit. One row per (unit, case, task):
 * - `accept`: a submitted (or resubmitted) case awaits its lead unit's acceptance or return;
 * - `review`: a cooperating unit's pending opinion in the current round, with its due date;
 * - `decide`: an objected or ready-for-decision case awaits the lead unit;
 * - `disburse`: an approved award awaits payment by FIN;
 * - `resubmit`: a returned case awaits its applicant (unit APPLICANT, filtered by USCC);
 * - `overdue-review`: a review past its due date, shown to the leading-group office (COM);
 * - `recover`: a recovery order (追回) awaits its repayments, recorded by FIN, due on its due date.
 * - `confirm`: a case COM opened by 免申即享 awaits its enterprise's declarations (unit APPLICANT, by USCC).
 * An objection during the 公示 is a `decide` of the lead unit again. A 免申 case's items say so in their detail.
 */
export type InboxTask = 'accept' | 'review' | 'decide' | 'disburse' | 'resubmit' | 'overdue-review' | 'recover' | 'confirm';

export interface InboxRow {
  unit: string;
  application_id: string;
  task: InboxTask;
  /** For `overdue-review`: the late unit; '' otherwise (part of the key). */
  review_unit: string;
  round: number;
  due_date: string | null;
  sort_due: string;
  overdue_as_of: string | null;
  since: string;
  detail: string | null;
  program: string;
  year: number;
  uscc: string;
  beneficiary_name: string | null;
  /** Another case of the same enterprise, program and year that holds an award (AwardApproved), or null. */
  earlier_award_id: string | null;
}

/** 五（二）: the Finance Bureau pays awards from the special fund. */
export const PAYING_UNIT = 'FIN';
/** COM hosts the leading-group office (领导小组办公室), which follows up late reviews (docs/policy.md vocabulary). */
export const LEADING_GROUP_OFFICE = 'COM';
export const APPLICANT_UNIT = 'APPLICANT';
/** Sorts after every real date: items without a due date come after those with one. */
export const NO_DUE_DATE = '9999-12-31';

interface InboxCase {
  application_id: string;
  program: string;
  year: number;
  uscc: string;
  beneficiary_name: string | null;
  lead_unit: string;
  round: number;
  earlier_award_id: string | null;
}

export const inboxProjection: Projection = {
  name: 'inbox',
  // 2: sort_due, so the inbox order is read straight from an index.
  // 3: both tables WITHOUT ROWID, keyed by case first: one B-tree per table where a rowid table kept two
  //    (and inbox_by_case, now the key's prefix), so a submission changes fewer pages.
  // 4: earlier_award_id, and inbox_awards to find it.
  // 5: 公示, objections, revocations and recoveries. 6: 免申即享 (confirm).
  version: 6,
  tables: [
    {
      name: 'inbox_items',
      ddl: `CREATE TABLE inbox_items (
        unit TEXT NOT NULL,
        application_id TEXT NOT NULL,
        task TEXT NOT NULL,
        review_unit TEXT NOT NULL,
        round INTEGER NOT NULL,
        due_date TEXT,
        -- due_date, or '9999-12-31' when none: "due date first" as one indexable column
        sort_due TEXT NOT NULL,
        overdue_as_of TEXT,
        since TEXT NOT NULL,
        detail TEXT,
        program TEXT NOT NULL,
        year INTEGER NOT NULL,
        uscc TEXT NOT NULL,
        beneficiary_name TEXT,
        earlier_award_id TEXT,
        PRIMARY KEY (application_id, unit, task, review_unit)
      ) WITHOUT ROWID`,
      indexes: ['CREATE INDEX inbox_by_unit_due ON inbox_items (unit, sort_due, since, application_id, task, review_unit)'],
      key: ['unit', 'application_id', 'task', 'review_unit'],
    },
    {
      // The facts of each case the inbox rows repeat (its own copy: projections never read each other).
      name: 'inbox_cases',
      ddl: `CREATE TABLE inbox_cases (
        application_id TEXT PRIMARY KEY,
        program TEXT NOT NULL,
        year INTEGER NOT NULL,
        uscc TEXT NOT NULL,
        beneficiary_name TEXT,
        lead_unit TEXT NOT NULL,
        round INTEGER NOT NULL,
        earlier_award_id TEXT
      ) WITHOUT ROWID`,
      // An approval finds the other cases of its enterprise, program and year without reading them all.
      indexes: ['CREATE INDEX inbox_cases_by_beneficiary ON inbox_cases (uscc, program, year)'],
      key: ['application_id'],
    },
    {
      // The first case approved for each (enterprise, program, year): a later application for the same
      // program and year is flagged with it, so the lead unit sees the award before deciding again.
      name: 'inbox_awards',
      ddl: `CREATE TABLE inbox_awards (
        uscc TEXT NOT NULL,
        program TEXT NOT NULL,
        year INTEGER NOT NULL,
        application_id TEXT NOT NULL,
        PRIMARY KEY (uscc, program, year)
      ) WITHOUT ROWID`,
      key: ['uscc', 'program', 'year'],
    },
  ],
  async apply(event, tx) {
    if (!isCaseEvent(event)) return;
    await applyInboxEvent(event, tx);
  },
};

async function applyInboxEvent(event: RecordedEvent & CaseEvent, tx: ProjectionTx): Promise<void> {
  const at = event.metadata.occurredAt;
  const id = event.data.applicationId;
  if (event.type === 'ApplicationSubmitted') {
    const d = event.data;
    const award = await tx.get<{ application_id: string }>(
      `SELECT application_id FROM inbox_awards WHERE uscc = ? AND program = ? AND year = ?`,
      d.beneficiary.uscc,
      d.program,
      d.year,
    );
    await tx.run(
      `INSERT INTO inbox_cases (application_id, program, year, uscc, beneficiary_name, lead_unit, round, earlier_award_id)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
      id,
      d.program,
      d.year,
      d.beneficiary.uscc,
      d.beneficiary.name ?? null,
      d.leadUnit,
      award?.application_id ?? null,
    );
  }
  const c = await tx.get<InboxCase>(`SELECT * FROM inbox_cases WHERE application_id = ?`, id);
  if (!c) return; // events of a case whose submission this projection never saw (cannot happen on a whole log)
  const add = async (
    unit: string,
    task: InboxTask,
    item: { reviewUnit?: string; round?: number; dueDate?: string | null; overdueAsOf?: string | null; detail?: string | null } = {},
  ): Promise<void> => {
    await tx.run(
      `INSERT INTO inbox_items (unit, application_id, task, review_unit, round, due_date, sort_due, overdue_as_of, since, detail,
         program, year, uscc, beneficiary_name, earlier_award_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (application_id, unit, task, review_unit) DO UPDATE SET
         round = excluded.round, due_date = excluded.due_date, sort_due = excluded.sort_due,
         overdue_as_of = excluded.overdue_as_of, since = excluded.since, detail = excluded.detail`,
      unit,
      id,
      task,
      item.reviewUnit ?? '',
      item.round ?? c.round,
      item.dueDate ?? null,
      item.dueDate ?? NO_DUE_DATE,
      item.overdueAsOf ?? null,
      at,
      item.detail ?? null,
      c.program,
      c.year,
      c.uscc,
      c.beneficiary_name,
      c.earlier_award_id,
    );
  };
  const clear = async (): Promise<void> => {
    await tx.run(`DELETE FROM inbox_items WHERE application_id = ?`, id);
  };
  switch (event.type) {
    case 'ApplicationSubmitted':
      await add(c.lead_unit, 'accept');
      return;
    case 'ApplicationResubmitted':
      await clear();
      await add(c.lead_unit, 'accept', { detail: 'resubmitted after correction' });
      return;
    case 'ProactiveCaseOpened': {
      // Not the lead unit's until the enterprise declared what the rule needs.
      await clear();
      const pending = event.data.declarationsPending;
      await add(APPLICANT_UNIT, 'confirm', { detail: `免申即享: confirm the case${pending.length ? ` and declare ${pending.join(', ')}` : ''}` });
      return;
    }
    case 'DeclarationsConfirmed':
      await clear();
      await add(c.lead_unit, 'accept', { detail: '免申即享: opened by COM, declarations confirmed by the enterprise' });
      return;
    case 'CaseAccepted':
      await tx.run(`UPDATE inbox_cases SET round = ? WHERE application_id = ?`, event.data.round, id);
      await clear();
      for (const r of event.data.reviews) await add(r.unit, 'review', { round: event.data.round, dueDate: r.dueDate });
      return;
    case 'ApplicationReturned':
      await clear();
      await add(APPLICANT_UNIT, 'resubmit', { detail: event.data.reason });
      return;
    case 'ReviewOpinionRecorded':
      await tx.run(
        `DELETE FROM inbox_items WHERE application_id = ? AND ((unit = ? AND task = 'review') OR (task = 'overdue-review' AND review_unit = ?))`,
        id,
        event.data.unit,
        event.data.unit,
      );
      return;
    case 'ApplicationObjected':
      await clear();
      await add(c.lead_unit, 'decide', { detail: `objected by ${event.data.objectingUnit} in round ${event.data.round}` });
      return;
    case 'ApplicationReadyForDecision':
      await clear();
      await add(c.lead_unit, 'decide', { detail: `every opinion of round ${event.data.round} is approve` });
      return;
    case 'ReviewOverdue': {
      const d = event.data;
      // The process's contract names only (applicationId, unit, round, dueDate): without asOfDate, the day it was recorded.
      const asOf = d.asOfDate ?? at.slice(0, 10);
      const pending = await tx.run(
        `UPDATE inbox_items SET overdue_as_of = COALESCE(overdue_as_of, ?)
         WHERE application_id = ? AND unit = ? AND task = 'review' AND round = ?`,
        asOf,
        id,
        d.unit,
        d.round,
      );
      // Only while the review is still awaited: an opinion recorded meanwhile leaves nothing to chase.
      if (pending > 0) {
        await add(LEADING_GROUP_OFFICE, 'overdue-review', {
          reviewUnit: d.unit,
          round: d.round,
          dueDate: d.dueDate,
          overdueAsOf: asOf,
          detail: `${d.unit} review of round ${d.round} was due ${d.dueDate}`,
        });
      }
      return;
    }
    case 'AwardApproved': {
      await clear();
      const publicity = event.data.publicity;
      await add(PAYING_UNIT, 'disburse', { detail: `approved ${event.data.amountCny} CNY${publicity ? `; 公示 until ${publicity.until}` : ''}` });
      const recorded = await tx.run(
        `INSERT INTO inbox_awards (uscc, program, year, application_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        c.uscc,
        c.program,
        c.year,
        id,
      );
      // The other open cases of the same enterprise, program and year now ask for a second award.
      if (recorded === 0) return;
      const others = await tx.all<{ application_id: string }>(
        `SELECT application_id FROM inbox_cases
         WHERE uscc = ? AND program = ? AND year = ? AND application_id <> ? AND earlier_award_id IS NULL`,
        c.uscc,
        c.program,
        c.year,
        id,
      );
      for (const other of others) {
        await tx.run(`UPDATE inbox_cases SET earlier_award_id = ? WHERE application_id = ?`, id, other.application_id);
        await tx.run(`UPDATE inbox_items SET earlier_award_id = ? WHERE application_id = ?`, id, other.application_id);
      }
      return;
    }
    case 'ApplicationRejected':
    case 'AwardWithdrawn':
    case 'AwardRevoked':
      await clear();
      return;
    case 'AwardDisbursed':
      // The award is paid; a supplementary award (补发) still owed keeps its own items.
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND (detail IS NULL OR detail NOT LIKE '补发%')`, id);
      return;
    case 'PublicityObjectionRecorded':
      await clear();
      await add(c.lead_unit, 'decide', { detail: `objection during the publicity (${event.data.source})` });
      return;
    case 'AwardUpheld':
      await clear();
      await add(PAYING_UNIT, 'disburse', { detail: 'upheld after an objection during the publicity' });
      return;
    case 'RecoveryOrdered':
      await add(PAYING_UNIT, 'recover', { dueDate: event.data.dueDate, detail: `${event.data.amountCny} CNY to recover (${event.data.cause})` });
      return;
    case 'RecoverySettled':
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'recover'`, id);
      return;
    case 'RecheckRequired':
      await add(c.lead_unit, 'decide', {
        detail: `复核: customs revision; approved ${event.data.approvedCny} CNY, the revised figures give ${event.data.revised.approvableCny} CNY`,
      });
      return;
    case 'RecheckRecorded':
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'decide'`, id);
      return;
    case 'SupplementaryAwardOpened': {
      const d = event.data;
      if (d.countersignSkipped) await add(c.lead_unit, 'decide', { detail: `补发 ${d.differenceCny} CNY: countersign skipped by the policy version` });
      for (const r of d.reviews) await add(r.unit, 'review', { dueDate: r.dueDate, detail: `补发 ${d.differenceCny} CNY after a recheck` });
      return;
    }
    case 'SupplementOpinionRecorded': {
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'review' AND unit = ?`, id, event.data.unit);
      const left = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox_items WHERE application_id = ? AND task = 'review'`, id);
      if (event.data.verdict === 'reject') {
        await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'review'`, id);
        await add(c.lead_unit, 'decide', { detail: `补发 objected by ${event.data.unit}: approve it over the objection, or refuse it` });
      } else if (Number(left?.n ?? 0) === 0) {
        await add(c.lead_unit, 'decide', { detail: '补发: every opinion is approve' });
      }
      return;
    }
    case 'SupplementaryAwardApproved':
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'decide'`, id);
      await add(PAYING_UNIT, 'disburse', { detail: `补发 ${event.data.amountCny} CNY approved` });
      return;
    case 'SupplementaryAwardRefused':
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'decide'`, id);
      return;
    case 'SupplementDisbursed':
      await tx.run(`DELETE FROM inbox_items WHERE application_id = ? AND task = 'disburse' AND detail LIKE '补发%'`, id);
      return;
    case 'AwardLowered':
      await tx.run(
        `UPDATE inbox_items SET detail = ? WHERE application_id = ? AND task = 'disburse'`,
        `lowered to ${event.data.toCny} CNY after a recheck`,
        id,
      );
      return;
  }
}
