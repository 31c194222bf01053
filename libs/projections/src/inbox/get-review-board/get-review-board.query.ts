import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@cbec/event-store';
import { Forbidden, isAuditor } from '@cbec/platform';
import { ReadModels } from '../../read-models';
import type { SqlReader } from '../../runner/read-model-engine';
import { inboxItemsOf, type InboxItem } from '../get-inbox/get-inbox.query';
import type { InboxRow } from '../inbox.projection';

/**
 * The units that watch every unit's countersign deadlines: the leading-group office, which the commerce bureau
 * hosts (六政办秘〔2019〕4号 五（一）; docs/policy.md), under COM or its own code LGO, and AUDIT.
 */
export const REVIEW_BOARD_UNITS = ['COM', 'LGO', 'AUDIT'];

export interface ReviewBoardFilter {
  unit?: string;
  program?: string;
  year?: number;
  overdueOnly?: boolean;
  limit?: number;
  offset?: number;
}

export interface ReviewBoard {
  /** Pending reviews, `reviewUnit` naming the unit each awaits; due date first, then oldest first. */
  items: InboxItem[];
  total: number;
}

export class GetReviewBoard extends Query<ReviewBoard> {
  constructor(
    readonly actor: Actor,
    readonly filter: ReviewBoardFilter,
  ) {
    super();
  }
}

/** 督办's deadline board: every cooperating unit's pending countersign review, across units, paged by the server. */
export async function readReviewBoard(db: SqlReader, actor: Actor, filter: ReviewBoardFilter): Promise<ReviewBoard> {
  if (!REVIEW_BOARD_UNITS.includes(actor.unit) && !isAuditor(actor)) {
    throw new Forbidden(`the deadline board of every unit is for the leading-group office (COM, LGO) and AUDIT; caller is ${actor.unit}`);
  }
  let where = "task = 'review'";
  const params: (string | number)[] = [];
  for (const [column, value] of [
    ['unit', filter.unit],
    ['program', filter.program],
    ['year', filter.year],
  ] as const) {
    if (value === undefined) continue;
    where += ` AND ${column} = ?`;
    params.push(value);
  }
  if (filter.overdueOnly) where += ' AND overdue_as_of IS NOT NULL';
  const total = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM inbox_items WHERE ${where}`, ...params))!.n;
  const rows = await db.all<InboxRow>(
    `SELECT * FROM inbox_items WHERE ${where} ORDER BY sort_due, since, application_id, unit LIMIT ? OFFSET ?`,
    ...params,
    filter.limit ?? 50,
    filter.offset ?? 0,
  );
  // A review row belongs to the unit that owes it: that unit is the one the board names.
  return { total, items: (await inboxItemsOf(db, rows)).map((item, i) => ({ ...item, reviewUnit: rows[i].unit })) };
}

@QueryHandler(GetReviewBoard)
export class GetReviewBoardHandler implements IQueryHandler<GetReviewBoard, ReviewBoard> {
  constructor(private readonly readModels: ReadModels) {}

  async execute({ actor, filter }: GetReviewBoard): Promise<ReviewBoard> {
    return readReviewBoard(this.readModels.reader, actor, filter);
  }
}
