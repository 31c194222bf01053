import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class DisburseAwardRequest {
  @ApiProperty({ example: 'FIN-PAY-2020-0001', description: "the payment's reference; paying twice with one reference is one payment" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  paymentRef!: string;
}
