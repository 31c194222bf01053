import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Uscc } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, ReadPositionRequest, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { GetRegistration, Registration } from './get-registration.query';
import { RegistrationResponse } from './get-registration.response';

@ApiTags('beneficiary-register')
@Controller('beneficiary-register')
export class GetRegistrationController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get(':uscc')
  @ApiRead(
    'Where a beneficiary is registered: the register entry in force and its history',
    "Each entry with its source (the registry extract's document number, the registry, the date it holds from) and the event that recorded it. The entry in force on 31 December of an award year decides whether the beneficiary is registered in Lu'an that year.",
    {
      type: RegistrationResponse,
      callers: 'the departments (FIN, COM, CUS, PBC, CTY-*), AUDIT, and the APPLICANT of that USCC',
      forbidden: "an APPLICANT reads its own USCC's registration only",
    },
  )
  async get(@Param('uscc') uscc: string, @Query() request: ReadPositionRequest, @CurrentActor() actor: Actor): Promise<Registration> {
    const valid = Uscc.parse(uscc, 'uscc').value;
    await waitForPosition(this.readModels, request.minPosition);
    return this.queries.execute(new GetRegistration(valid, actor));
  }
}
