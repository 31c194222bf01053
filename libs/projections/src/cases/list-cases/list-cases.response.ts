import { ApiProperty } from '@nestjs/swagger';
import type { CaseList, CaseSummary } from './list-cases.query';

class CaseSummaryResponse implements CaseSummary {
  @ApiProperty() applicationId!: string;
  @ApiProperty() program!: string;
  @ApiProperty() year!: number;
  @ApiProperty() uscc!: string;
  @ApiProperty({ nullable: true, type: String }) beneficiaryName!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty() leadUnit!: string;
  @ApiProperty() round!: number;
  @ApiProperty({ type: [String] }) pendingUnits!: string[];
  @ApiProperty({ nullable: true, type: String, example: '100000.00' }) awardCny!: string | null;
  @ApiProperty({ description: '免申即享: opened by COM on the customs statistics alone' }) proactive!: boolean;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() version!: number;
}

export class CaseListResponse implements CaseList {
  @ApiProperty({ type: [CaseSummaryResponse] }) items!: CaseSummaryResponse[];
  @ApiProperty({ description: 'matching cases the caller may read, before paging' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
