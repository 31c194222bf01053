import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CaseState, ExistingCase } from '@cbec/domain';
import { Actor } from '@cbec/event-store';
import { AUTH_PROBLEMS, ApiDoes, ApiProblems, NotFound } from '@cbec/platform';
import { assertCanAct, WorkflowStep } from '../auth/authorization';

/** 201 answer of every command (docs/api.md): where the command left its stream. */
export class CommandAnswer {
  @ApiPropertyOptional({ description: 'the case the command opened or acted on', example: '2f1c…' })
  applicationId?: string;

  @ApiProperty({ description: 'the stream version after the command: send it as If-Match next time', example: 3 })
  version!: number;

  @ApiProperty({ description: "global log position of the command's last event (read models catch up to it)", example: 118 })
  position!: number;
}

export { ProblemDto } from '@cbec/platform';

/**
 * The OpenAPI of a command route: what it does and who may call it, the headers it honours, and the
 * problems it answers. `refuses` adds or rewords problems of this command (a 404 for a case command).
 */
export function ApiCommand(
  summary: string,
  options: { callers: string; ifMatch?: boolean; answer?: unknown; description?: string; refuses?: Readonly<Record<number, string>> },
): MethodDecorator {
  const decorators = [
    ApiDoes(summary, { callers: options.callers, description: options.description }),
    ApiBearerAuth(),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeat returns the first answer and stores nothing' }),
    ApiCreatedResponse({ type: (options.answer ?? CommandAnswer) as never }),
    ApiProblems({
      400: 'bad input (each field named)',
      ...AUTH_PROBLEMS,
      403: "not this caller's step",
      409: 'version conflict or not allowed in the current status',
      413: 'the body is larger than the server takes',
      415: 'the body is not of a media type this command reads',
      422: 'refused by the rules, or an amount above its limit (amount-above-limit, naming field, amount and limit: docs/limits.md)',
      ...options.refuses,
    }),
  ];
  if (options.ifMatch) {
    decorators.push(ApiHeader({ name: 'If-Match', required: false, description: 'the case version you saw; a stale one is a 409' }));
  }
  return applyDecorators(...decorators);
}

/** The guard of a command on an existing case: 404 when there is none, 403 unless the caller may take `step`. */
export function caseGuard(actor: Actor, step: WorkflowStep): (state: CaseState) => void {
  return (state: CaseState) => {
    if (state.status === 'none') throw new NotFound('no such application');
    assertCanAct(actor, step, state, state.beneficiary.uscc);
  };
}

export function requireCase(state: CaseState): ExistingCase {
  if (state.status === 'none') throw new NotFound('no such application');
  return state;
}
