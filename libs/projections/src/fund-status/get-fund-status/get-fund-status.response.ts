import { ApiProperty } from '@nestjs/swagger';
import type { FundStatus } from './get-fund-status.query';

class CommitmentCountsResponse {
  @ApiProperty() committed!: number;
  @ApiProperty() paid!: number;
  @ApiProperty() released!: number;
}

export class FundStatusResponse implements FundStatus {
  @ApiProperty({ example: 2019 }) year!: number;
  @ApiProperty({ example: '1000000.00' }) appropriationCny!: string;
  @ApiProperty({ description: 'commitments not released, paid ones included' }) committedCny!: string;
  @ApiProperty() disbursedCny!: string;
  @ApiProperty({ description: 'appropriation - committed' }) availableCny!: string;
  @ApiProperty({ description: 'committed - disbursed' }) outstandingCny!: string;
  @ApiProperty({ example: '0.00', description: 'money returned on paid awards (追回); committed and disbursed already fell by it' }) recoveredCny!: string;
  @ApiProperty() allocations!: number;
  @ApiProperty({ type: CommitmentCountsResponse }) commitments!: CommitmentCountsResponse;
}
