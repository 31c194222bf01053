import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PROACTIVE_PROGRAMS } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { ApiDoes, ApiProblems, AUTH_PROBLEMS, CommandContext, CurrentActor, Forbidden } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { OpenProactiveAwardsAnswer, OpenProactiveAwardsCommand } from './open-proactive-awards.handler';
import { FoundCandidate, ProactiveCandidatesFinder } from './proactive-candidates.finder';
import { ListProactiveAwardsRequest, OpenProactiveAwardsRequest } from './proactive-awards.request';

class ProactiveCandidateResponse {
  @ApiProperty() uscc!: string;
  @ApiProperty({ nullable: true, type: String, description: 'as the customs statistics name it' }) name!: string | null;
  @ApiProperty({ enum: PROACTIVE_PROGRAMS }) program!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ example: '50000.00', description: 'before caps (P2a: 0.00, the fees are not known yet)' }) computedCny!: string;
  @ApiProperty({ nullable: true, type: String, example: '50000.00', description: 'after caps; null for P2a, pending the fees' }) amountCny!: string | null;
  @ApiProperty({ nullable: true, type: String }) capApplied!: string | null;
  @ApiProperty({ type: [String], description: 'the claims the enterprise declares before the case may be accepted', example: ['otherMunicipalTradeAward'] })
  declarationsPending!: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the computation assumed of those declarations',
    example: { otherMunicipalTradeAward: false },
  })
  assumed!: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'the computation, step by step (as evaluate)' })
  trace!: unknown[];
  @ApiProperty({ type: [String], description: 'the customs events the computation read' }) customsEventIds!: string[];
}

class ProactiveCandidatesResponse {
  @ApiProperty() year!: number;
  @ApiProperty({ description: 'candidates in all (this filter)' }) total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty() limit!: number;
  @ApiProperty({ type: [ProactiveCandidateResponse] }) candidates!: ProactiveCandidateResponse[];
}

class ProactiveOpenedResponse {
  @ApiProperty() uscc!: string;
  @ApiProperty({ enum: PROACTIVE_PROGRAMS }) program!: string;
  @ApiProperty() applicationId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() position!: number;
}

class ProactiveRefusedResponse {
  @ApiProperty() uscc!: string;
  @ApiProperty({ enum: PROACTIVE_PROGRAMS }) program!: string;
  @ApiProperty({ example: 'not-a-candidate', description: 'not-a-candidate, or the admissibility code (award-year-not-over, policy-not-in-force)' })
  code!: string;
  @ApiProperty() detail!: string;
}

class OpenProactiveAwardsResponse {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [ProactiveOpenedResponse], description: 'each case opened (or opened before by the same choice)' }) opened!: ProactiveOpenedResponse[];
  @ApiProperty({ type: [ProactiveRefusedResponse], description: 'each choice not opened, and why' }) refused!: ProactiveRefusedResponse[];
  @ApiProperty({ description: 'global position of the last case opened (0: none)' }) position!: number;
}

/** Who reads the 免申即享 list: COM, who opens the cases, FIN, who decides them, and AUDIT. */
const READERS = ['COM', 'FIN', 'AUDIT'];

@ApiTags('proactive-awards')
@Controller('proactive-awards')
export class ProactiveAwardsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly finder: ProactiveCandidatesFinder,
  ) {}

  @Get()
  @ApiDoes(
    '免申即享: the enterprises whose customs statistics alone meet P1, P2b (and P2a’s growth, pending the fees) and that have no case for that program and year',
    {
      callers: 'COM, FIN, AUDIT',
      description: 'Each candidate with its computation (trace) and the declarations the enterprise still has to make; paged (total, offset, limit).',
    },
  )
  @ApiBearerAuth()
  @ApiOkResponse({ type: ProactiveCandidatesResponse })
  @ApiProblems({ 400: 'bad input (each field named)', ...AUTH_PROBLEMS, 403: 'not a reader of the list' })
  async list(@Query() request: ListProactiveAwardsRequest, @CurrentActor() actor: Actor): Promise<ProactiveCandidatesResponse> {
    if (!READERS.includes(actor.unit))
      throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read the 免申即享 list: COM, FIN and AUDIT read it`);
    const limit = request.limit ?? 50;
    const offset = request.offset ?? 0;
    const all: FoundCandidate[] = (await this.finder.find(request.year)).filter((c) => !request.program || c.program === request.program);
    return { year: request.year, total: all.length, offset, limit, candidates: all.slice(offset, offset + limit) };
  }

  @Post('open')
  @HttpCode(201)
  @ApiCommand('免申即享: open a case (marked 免申) for each chosen candidate, in one action; each awaits the enterprise’s declarations', {
    callers: 'COM (officer or head)',
    answer: OpenProactiveAwardsResponse,
    description:
      'A choice that is no candidate now (computed again) is refused on its own (`refused`, with its code); the others are opened. The same choice again answers the same case.',
  })
  open(@Body() body: OpenProactiveAwardsRequest, @CommandCtx() ctx: CommandContext): Promise<OpenProactiveAwardsAnswer> {
    return this.commands.execute(new OpenProactiveAwardsCommand(body.year, body.candidates, ctx));
  }
}
