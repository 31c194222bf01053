import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class RejectApplicationRequest {
  @ApiProperty({ example: 'the customs statistics show no 9610 exports for the year' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason!: string;
}
