/**
 * Refusals of the HTTP shell that are not domain rules: who may act (403), what exists (404), which
 * version the caller saw (409). Each carries a stable `code` and the status the problem filter renders.
 */
export abstract class WorkflowError extends Error {
  abstract readonly code: string;
  abstract readonly httpStatus: number;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller's unit or role has no part in this step (docs/api.md: 403 not this caller's step). */
export class Forbidden extends WorkflowError {
  readonly code = 'forbidden';
  readonly httpStatus = 403;
}

export class Unauthorized extends WorkflowError {
  readonly code = 'unauthorized';
  readonly httpStatus = 401;
  constructor(
    message: string,
    /** What the caller can do about it, rendered as the problem's `hint` member. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export class NotFound extends WorkflowError {
  readonly code = 'not-found';
  readonly httpStatus = 404;
}

/** `If-Match` named a version the stream has moved past: the caller must reload. */
export class VersionConflict extends WorkflowError {
  readonly code = 'version-conflict';
  readonly httpStatus = 409;
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`${streamId} is at version ${actualVersion}, not ${expectedVersion}: reload and retry`);
  }
}

/** A bad request the DTO validation cannot see (headers, CSV files). `errors` lists every problem. */
export class BadRequest extends WorkflowError {
  readonly code: string;
  readonly httpStatus = 400;
  constructor(
    message: string,
    readonly errors: ReadonlyArray<Record<string, unknown>> = [],
    code = 'invalid-request',
  ) {
    super(message);
    this.code = code;
  }
}

/** Refused by the rules, outside a decider (e.g. a CSV with bad rows). `errors` lists every problem. */
export class Unprocessable extends WorkflowError {
  readonly httpStatus = 422;
  constructor(
    readonly code: string,
    message: string,
    readonly errors: ReadonlyArray<Record<string, unknown>> = [],
  ) {
    super(message);
  }
}
