import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_REF_LENGTH, MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class SupplementOpinionRequest {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  verdict!: 'approve' | 'reject';

  @ApiProperty({ example: 'revised customs figures confirmed', description: 'required to say why when the verdict is reject', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  comment!: string;
}

export class SupplementDisbursementRequest {
  @ApiProperty({ example: 'FIN-PAY-2020-0101', description: "the supplement's payment reference", maxLength: MAX_REF_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  paymentRef!: string;
}
