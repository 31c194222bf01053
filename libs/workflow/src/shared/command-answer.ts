import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CaseState, ExistingCase } from '@cbec/domain';
import { Actor } from '@cbec/event-store';
import { assertCanAct, WorkflowStep } from '../auth/authorization';
import { NotFound } from './errors';

/** 201 answer of every command (API.md): where the command left its stream. */
export class CommandAnswer {
  @ApiPropertyOptional({ description: 'the case the command opened or acted on', example: '2f1c…' })
  applicationId?: string;

  @ApiProperty({ description: 'the stream version after the command: send it as If-Match next time', example: 3 })
  version!: number;

  @ApiProperty({ description: "global log position of the command's last event (read models catch up to it)", example: 118 })
  position!: number;
}

export class ProblemDto {
  @ApiProperty({ example: 'urn:cbec:problem:forbidden' }) type!: string;
  @ApiProperty({ example: 'Forbidden' }) title!: string;
  @ApiProperty({ example: 403 }) status!: number;
  @ApiProperty({ example: 'forbidden' }) code!: string;
  @ApiProperty() detail!: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'every field or row problem' })
  errors?: Array<Record<string, unknown>>;
}

/** The OpenAPI of a command route: headers it honours and the problems it answers. */
export function ApiCommand(summary: string, options: { ifMatch?: boolean; answer?: unknown; description?: string } = {}): MethodDecorator {
  const decorators = [
    ApiOperation({ summary, description: options.description }),
    ApiBearerAuth(),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeat returns the first answer and stores nothing' }),
    ApiCreatedResponse({ type: (options.answer ?? CommandAnswer) as never }),
    ApiBadRequestResponse({ type: ProblemDto, description: 'bad input (each field named)' }),
    ApiUnauthorizedResponse({ type: ProblemDto, description: 'no, expired or foreign-signed token' }),
    ApiForbiddenResponse({ type: ProblemDto, description: "not this caller's step" }),
    ApiConflictResponse({ type: ProblemDto, description: 'version conflict or not allowed in the current status' }),
    ApiUnprocessableEntityResponse({
      type: ProblemDto,
      description: 'refused by the rules, or an amount above its limit (amount-above-limit, naming field, amount and limit: docs/limits.md)',
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
