import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { ClaimsRequest } from '../submit-application/submit-application.request';

export class ResubmitApplicationRequest {
  @ApiProperty({ type: ClaimsRequest, description: 'the corrected claims (replace the earlier ones)' })
  @IsObject()
  @ValidateNested()
  @Type(() => ClaimsRequest)
  claims!: ClaimsRequest;
}
