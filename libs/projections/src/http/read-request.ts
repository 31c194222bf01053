import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse } from '@nestjs/swagger';
import { ApiDoes, ApiProblems, assertWithinHead, AUTH_PROBLEMS, READ_WAIT_MS, WorkflowError } from '@cbec/platform';
import { describeFailure, ProjectionFailed, ProjectionsLagging } from '../runner/projection-runner';
import type { ProjectionFailure } from '../runner/read-model-db';
import type { ReadModels } from '../read-models';

export { READ_WAIT_MS, ReadPositionRequest } from '@cbec/platform';

/**
 * The read side is behind the awaited position (`projections-lagging`: retry later), or a projection
 * stopped at an event before it (`projection-failed`: `failure` names the projection, the event and the
 * error; it stays so until the projection is fixed, see docs/limits.md "When a projection fails").
 */
export class ReadModelsUnavailable extends WorkflowError {
  readonly code: string;
  readonly httpStatus = 503;
  readonly failure?: ProjectionFailure;
  constructor(error: ProjectionsLagging | ProjectionFailed) {
    super(error.message);
    this.code = error.code;
    if (error instanceof ProjectionFailed) this.failure = { ...error.failure };
  }
}

/** `GET /health` while a projection has stopped at an event: which one, where, and why. */
export class ReadSideFailing extends WorkflowError {
  readonly code = 'projection-failed';
  readonly httpStatus = 503;
  constructor(
    readonly headPosition: number,
    readonly failures: Array<ProjectionFailure & { checkpoint: number }>,
  ) {
    super(`${failures.map(describeFailure).join('; ')}; its read model stays at the position before it until the projection is fixed`);
  }
}

/** Throws `ReadSideFailing` when any projection of the read side has stopped at an event. */
export function assertReadSideHealthy(readModels: ReadModels, headPosition: number): void {
  const failing = readModels.runner.status().filter((s) => s.failure !== null);
  if (failing.length)
    throw new ReadSideFailing(
      headPosition,
      failing.map((s) => ({ ...s.failure!, checkpoint: s.position })),
    );
}

export async function waitForPosition(readModels: ReadModels, minPosition: number | undefined): Promise<void> {
  if (minPosition === undefined || minPosition <= 0) return;
  await assertWithinHead(readModels.eventStore, minPosition);
  try {
    await readModels.runner.caughtUp(minPosition, { timeoutMs: READ_WAIT_MS });
  } catch (error) {
    if (error instanceof ProjectionsLagging || error instanceof ProjectionFailed) throw new ReadModelsUnavailable(error);
    throw error;
  }
}

/** The OpenAPI of a read route: what it reads, who may read it, and what it refuses. */
export function ApiRead(
  summary: string,
  description: string,
  /** `forbidden`: when the read answers 403, and to whom; `notFound`: it reads one application. */
  options: { type: abstract new () => unknown; callers: string; forbidden?: string; notFound?: boolean },
): MethodDecorator {
  return applyDecorators(
    ApiDoes(summary, { callers: options.callers, description }),
    ApiBearerAuth(),
    ApiOkResponse({ type: options.type as never, description: 'the read model' }),
    ApiProblems({
      400: 'bad parameter (each named), or a minPosition beyond the head of the log (`position-beyond-head`)',
      ...AUTH_PROBLEMS,
      ...(options.forbidden ? { 403: options.forbidden } : {}),
      ...(options.notFound ? { 404: 'no such application' } : {}),
      503: 'the read models did not reach minPosition in time (projections-lagging), or a projection stopped at an event before it (projection-failed)',
    }),
  );
}
