import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor } from '@cbec/platform';
import { ReadModels } from '../../read-models';
import type { SqlReader } from '../../runner/read-model-engine';
import { APPLICANT_UNIT, InboxRow, InboxTask } from '../inbox.projection';
import { beneficiaryNamesOf } from '../../beneficiary-names/beneficiary-names.projection';
import { registrationInForceAmong, registrationsOfMany } from '../../beneficiary-register/beneficiary-register.projection';

export interface InboxItem {
  applicationId: string;
  task: InboxTask;
  /** For `overdue-review`: the unit whose review is late. */
  reviewUnit: string | null;
  round: number;
  dueDate: string | null;
  overdue: boolean;
  overdueAsOf: string | null;
  /** When the item arrived (the event's time). */
  since: string;
  detail: string | null;
  program: string;
  year: number;
  uscc: string;
  beneficiaryName: string | null;
  /**
   * The case that already holds an award for the same enterprise, program and year: this one asks for a
   * second award (the ledger's once-per-period rules then refuse or cut it; docs/policy.md). null otherwise.
   */
  earlierAwardId: string | null;
  /** The beneficiary register's division for the award year; null when the register holds none. */
  registeredDivision: string | null;
  /**
   * False when the register holds no entry for the award year: "registered in Lu'an" would be judged by
   * the USCC prefix, not confirmed by the register — the lead unit sees it before deciding.
   */
  localityConfirmed: boolean;
}

export interface Inbox {
  unit: string;
  items: InboxItem[];
  total: number;
}

export interface InboxPage {
  offset?: number;
  program?: string;
  year?: number;
  task?: string;
}

export class GetInbox extends Query<Inbox> {
  constructor(
    readonly actor: Actor,
    /** AUDIT only: whose inbox to read (AUDIT itself awaits nothing). */
    readonly unit?: string,
    readonly limit = 200,
    /** Paging and filters of the workbench's 我的待办 (docs/api.md): the server pages, never the browser. */
    readonly page: InboxPage = {},
  ) {
    super();
  }
}

/**
 * Inbox totals per connection, valid while the file is unchanged: COUNT(*) walks every index entry of the
 * unit (most of a read's cost with thousands of items), the items page itself reads only `limit` rows.
 */
const totals = new WeakMap<SqlReader, { signature: string; counts: Map<string, number> }>();

/** Cached while the store is unchanged (`changeSignature`; an engine without one counts every time). */
async function inboxTotal(db: SqlReader, unit: string, uscc: string | null, byUscc: string, params: (string | number)[]): Promise<number> {
  const signature = await db.changeSignature();
  const count = async (): Promise<number> => (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox_items WHERE unit = ?${byUscc}`, ...params))!.n;
  if (signature === null) return count();
  let cache = totals.get(db);
  if (!cache || cache.signature !== signature) {
    cache = { signature, counts: new Map() };
    totals.set(db, cache);
  }
  const key = `${unit}\n${uscc === null ? '*' : `=${uscc}`}\n${byUscc}\n${params.slice(uscc === null ? 1 : 2).join('\n')}`;
  let n = cache.counts.get(key);
  if (n === undefined) {
    n = await count();
    cache.counts.set(key, n);
  }
  return n;
}

/** Items with a due date first, earliest due first; then oldest first. */
export async function readInbox(db: SqlReader, unit: string, uscc: string | null, limit: number, page: InboxPage = {}): Promise<Inbox> {
  let where = uscc === null ? '' : ' AND uscc = ?';
  const params: (string | number)[] = uscc === null ? [unit] : [unit, uscc];
  const filters: [string, string | number | undefined][] = [
    ['program', page.program],
    ['year', page.year],
    ['task', page.task],
  ];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    where += ` AND ${column} = ?`;
    params.push(value);
  }
  const total = await inboxTotal(db, unit, uscc, where, params);
  const rows = await db.all<InboxRow>(
    `SELECT * FROM inbox_items WHERE unit = ?${where}
     ORDER BY sort_due, since, application_id, task, review_unit LIMIT ? OFFSET ?`,
    ...params,
    limit,
    page.offset ?? 0,
  );
  return {
    unit,
    total,
    items: await inboxItemsOf(db, rows),
  };
}

/** Stored inbox rows as the API answers them: their names and registrations in one read each. */
export async function inboxItemsOf(db: SqlReader, rows: readonly InboxRow[]): Promise<InboxItem[]> {
  const [names, registers] = await Promise.all([
    beneficiaryNamesOf(db, rows),
    registrationsOfMany(
      db,
      rows.map((r) => r.uscc),
    ),
  ]);
  return rows.map((r, i) => {
    const entry = registrationInForceAmong(registers.get(r.uscc) ?? [], r.year);
    return itemOf(r, names[i], { registeredDivision: entry?.division ?? null, localityConfirmed: entry !== null });
  });
}

/** One stored inbox row as the API answers it. */
export async function inboxItemOf(db: SqlReader, r: InboxRow): Promise<InboxItem> {
  return (await inboxItemsOf(db, [r]))[0];
}

function itemOf(r: InboxRow, beneficiaryName: string | null, locality: Pick<InboxItem, 'registeredDivision' | 'localityConfirmed'>): InboxItem {
  return {
    applicationId: r.application_id,
    task: r.task,
    reviewUnit: r.review_unit === '' ? null : r.review_unit,
    round: r.round,
    dueDate: r.due_date,
    overdue: r.overdue_as_of !== null,
    overdueAsOf: r.overdue_as_of,
    since: r.since,
    detail: r.detail,
    program: r.program,
    year: r.year,
    uscc: r.uscc,
    beneficiaryName,
    earlierAwardId: r.earlier_award_id,
    ...locality,
  };
}

export async function inboxFor(db: SqlReader, actor: Actor, unit?: string, limit = 200, page: InboxPage = {}): Promise<Inbox> {
  if (unit !== undefined && unit !== actor.unit && !isAuditor(actor)) {
    throw new Forbidden(`${actor.unit} reads its own inbox; only AUDIT reads another unit's (${unit})`);
  }
  if (isAuditor(actor)) return unit ? readInbox(db, unit, null, limit, page) : { unit: actor.unit, items: [], total: 0 };
  // An applicant's inbox: its own returned cases, nobody else's.
  if (actor.unit === APPLICANT_UNIT) return readInbox(db, APPLICANT_UNIT, actor.uscc ?? '', limit, page);
  return readInbox(db, actor.unit, null, limit, page);
}

@QueryHandler(GetInbox)
export class GetInboxHandler implements IQueryHandler<GetInbox, Inbox> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ actor, unit, limit, page }: GetInbox): Promise<Inbox> {
    return inboxFor(this.readModels.reader, actor, unit, limit, page);
  }
}
