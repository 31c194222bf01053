import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Uscc } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { BeneficiaryTotals, GetBeneficiaryTotals } from './get-beneficiary-totals.query';
import { GetBeneficiaryTotalsRequest } from './get-beneficiary-totals.request';
import { BeneficiaryTotalsResponse } from './get-beneficiary-totals.response';

@ApiTags('beneficiaries')
@Controller('beneficiaries')
export class GetBeneficiaryTotalsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get(':uscc/totals')
  @ApiRead(
    "A beneficiary's totals for a year",
    'Departments, AUDIT and that applicant: awarded (approved and reserved) per program and per article (四（二）: P2a + P2b), the caps of the policy and what remains.',
    {
      type: BeneficiaryTotalsResponse,
      callers: 'the departments (FIN, COM, CUS, PBC, CTY-*), AUDIT, and the APPLICANT of that USCC',
      forbidden: "an APPLICANT reads its own USCC's totals only",
    },
  )
  async totals(@Param('uscc') uscc: string, @Query() request: GetBeneficiaryTotalsRequest, @CurrentActor() actor: Actor): Promise<BeneficiaryTotals> {
    const valid = Uscc.parse(uscc, 'uscc').value;
    await waitForPosition(this.readModels, request.minPosition);
    return this.queries.execute(new GetBeneficiaryTotals(valid, request.year, actor));
  }
}
