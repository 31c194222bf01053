import { DomainError } from '../decider';

export interface CustomsRowProblem {
  /** 0-based index of the row in the command's `rows`. */
  row: number;
  field: string;
  detail: string;
}

/** docs/api.md: any bad row -> 422 listing every bad row; nothing stored. */
export class InvalidCustomsRows extends DomainError {
  readonly code = 'invalid-customs-rows';
  readonly httpStatus = 422;
  constructor(readonly problems: CustomsRowProblem[]) {
    super(
      `${problems.length} bad customs row(s): ${problems
        .slice(0, 20)
        .map((p) => `row ${p.row} ${p.field}: ${p.detail}`)
        .join('; ')}${problems.length > 20 ? '; …' : ''}`,
    );
  }
}
