import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class RecordReviewOpinionRequest {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  verdict!: 'approve' | 'reject';

  @ApiProperty({ example: 'customs figures confirmed', description: 'required to say why when the verdict is reject', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  comment!: string;
}
