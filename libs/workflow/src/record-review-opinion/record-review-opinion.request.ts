import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';

export class RecordReviewOpinionRequest {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  verdict!: 'approve' | 'reject';

  @ApiProperty({ example: 'customs figures confirmed', description: 'required to say why when the verdict is reject' })
  @IsString()
  @MaxLength(4000)
  comment!: string;
}
