import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class ConfirmDeclarationsRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the claims the 免申 case awaits (its `proactive.declarationsPending`), in the shape of a submission’s claims',
    example: { otherMunicipalTradeAward: false },
  })
  @IsObject()
  declarations!: Record<string, unknown>;
}
