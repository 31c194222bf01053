import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { evaluate, evaluationToJson, EvaluationJson, isInputError, PROGRAM_IDS, REASON_CODES } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { ApiDoes, ApiProblems, AUTH_PROBLEMS, BadRequest, CLOCK, Clock, CurrentActor } from '@cbec/platform';

class LocalityAnswer {
  @ApiProperty() uscc!: string;
  @ApiProperty({ example: '341502' }) division!: string;
  @ApiProperty() local!: boolean;
  @ApiProperty({ enum: ['register', 'case-file', 'uscc-prefix'] }) basis!: string;
  @ApiProperty({ description: 'false: by USCC prefix, not confirmed by the register' }) confirmed!: boolean;
}

class EvaluationAnswer {
  @ApiProperty({ enum: PROGRAM_IDS }) program!: string;
  @ApiProperty() eligible!: boolean;
  @ApiProperty({ example: '56000.00' }) amountCny!: string;
  @ApiProperty({ example: '56000.00', description: 'what the clause computes before caps' }) computedCny!: string;
  @ApiProperty({ nullable: true, type: String }) capApplied!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: [...REASON_CODES] } }) reasons!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'each step: code, params, clause, source, and its English words',
  })
  trace!: unknown[];
  @ApiProperty({ example: 'LZB-2019-4' }) policyVersion!: string;
  @ApiPropertyOptional({ type: [String] }) recruitsCounted?: string[];
  @ApiProperty({ type: [LocalityAnswer] }) locality!: LocalityAnswer[];
  @ApiPropertyOptional({ type: [Number], description: 'years read whose customs statistics were never imported' }) unknownCustomsYears?: number[];
}

/**
 * docs/api.md "Evaluate a case" over HTTP: the policy engine on a case file, no store read or written,
 * the server's clock refusing an award year not over as the submission does. The same answer as
 * `npm run --silent cli -- evaluate <case.json>` (the trace in its stored form: codes, params, English words).
 */
@ApiTags('evaluate')
@Controller('evaluate')
export class EvaluateCaseController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Post()
  @HttpCode(200)
  @ApiDoes('Evaluate a case file under the policy (no store involved): the award or the reasons, with the trace', {
    callers: 'anyone signed in',
    description:
      'The body is the case file of docs/api.md "Evaluate a case" (program, year, beneficiary {uscc, kind?, manufacturing?, registeredDivision?}, customs, customsYears?, claims, history?, recruitsCountedElsewhere?, policyVersion?). 200 with `eligible: false` and `reasons` when the rules refuse; 400 naming the field when the file is malformed.',
  })
  @ApiBearerAuth()
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: true,
      example: {
        program: 'P1',
        year: 2019,
        beneficiary: { uscc: '91341500MA2010017C' },
        customs: [{ year: 2019, uscc: '91341500MA2010017C', export9610Usd: '60000.00' }],
        claims: { otherMunicipalTradeAward: false },
      },
    },
  })
  @ApiOkResponse({ type: EvaluationAnswer })
  @ApiProblems({ 400: 'a malformed case file (the field named in `errors`)', ...AUTH_PROBLEMS })
  evaluate(@Body() body: unknown, @CurrentActor() _actor: Actor): EvaluationJson {
    try {
      return evaluationToJson(evaluate(body, undefined, { now: this.clock.now() }));
    } catch (e) {
      if (isInputError(e)) throw new BadRequest(e.message, [{ field: e.field, reason: e.message }], e.code);
      throw e;
    }
  }
}
