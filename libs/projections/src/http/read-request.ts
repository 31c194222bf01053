import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { assertWithinHead, READ_WAIT_MS, WorkflowError } from '@cbec/workflow';
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
  await assertWithinHead(readModels.eventStore, minPosition);
  try {
    await readModels.runner.caughtUp(minPosition, { timeoutMs: READ_WAIT_MS });
  } catch (error) {
    if (error instanceof ProjectionsLagging || error instanceof ProjectionFailed) throw new ReadModelsUnavailable(error);
    throw error;
  }
}

/** The OpenAPI of a read route. */
export function ApiRead(summary: string, description: string, options: { type: abstract new () => unknown; notFound?: boolean }): MethodDecorator {
  const decorators = [
    ApiOperation({ summary, description }),
    ApiBearerAuth(),
    ApiOkResponse({ type: options.type as never, description: 'the read model' }),
    ApiBadRequestResponse({ description: 'bad parameter (each named), or a minPosition beyond the head of the log (`position-beyond-head`)' }),
    ApiUnauthorizedResponse({ description: 'no, expired or foreign-signed token' }),
    ApiForbiddenResponse({ description: 'the caller may not read this' }),
    ApiServiceUnavailableResponse({ description: 'the read models did not reach minPosition in time' }),
  ];
  if (options.notFound) decorators.push(ApiNotFoundResponse({ description: 'no such application' }));
  return applyDecorators(...decorators);
}
