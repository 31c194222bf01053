import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse } from '@nestjs/swagger';
import { ApiDoes, ApiProblems, AUTH_PROBLEMS, READ_WAIT_MS, WorkflowError } from '@cbec/workflow';
import { ProjectionFailed, ProjectionsLagging } from '../runner/projection-runner';
import type { ReadModels } from '../read-models';

export { READ_WAIT_MS, ReadPositionRequest } from '@cbec/workflow';

/** The read side is behind the awaited position, or a projection is broken: retry later. */
export class ReadModelsUnavailable extends WorkflowError {
  readonly code: string;
  readonly httpStatus = 503;
  constructor(error: ProjectionsLagging | ProjectionFailed) {
    super(error.message);
    this.code = error.code;
  }
}

export async function waitForPosition(readModels: ReadModels, minPosition: number | undefined): Promise<void> {
  if (minPosition === undefined || minPosition <= 0) return;
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
      400: 'bad parameter (each named)',
      ...AUTH_PROBLEMS,
      ...(options.forbidden ? { 403: options.forbidden } : {}),
      ...(options.notFound ? { 404: 'no such application' } : {}),
      503: 'the read models did not reach minPosition in time, or a projection is broken: retry later',
    }),
  );
}
