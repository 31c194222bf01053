import { ApiProperty } from '@nestjs/swagger';
import { PROGRAM_IDS, type ProgramId, type ReasonCode } from '@cbec/domain';
import type { AwardStatus } from '../beneficiary-totals.projection';
import type { ArticleTotals, AwardLine, BeneficiaryTotals, ProgramTotals } from './get-beneficiary-totals.query';

class ProgramTotalsResponse implements ProgramTotals {
  @ApiProperty({ enum: PROGRAM_IDS, example: 'P2a' }) program!: ProgramId;
  @ApiProperty({ example: '四（二）' }) article!: string;
  @ApiProperty({ example: '100000.00' }) approvedCny!: string;
  @ApiProperty({ description: 'held by approvals in progress' }) reservedCny!: string;
  @ApiProperty() countedCny!: string;
  @ApiProperty() disbursedCny!: string;
  @ApiProperty({ nullable: true, type: String }) annualCapCny!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'null when no cap limits the program' }) remainingCny!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'already-awarded' }) blockedBy!: ReasonCode | null;
}

class ArticleTotalsResponse implements ArticleTotals {
  @ApiProperty({ example: '四（二）' }) article!: string;
  @ApiProperty({ type: [String], example: ['P2a', 'P2b'] }) programs!: ProgramId[];
  @ApiProperty() countedCny!: string;
  @ApiProperty({ nullable: true, type: String, example: '200000.00' }) annualCapCny!: string | null;
  @ApiProperty({ nullable: true, type: String }) remainingCny!: string | null;
}

class AwardLineResponse implements AwardLine {
  @ApiProperty() applicationId!: string;
  @ApiProperty() reservationId!: string;
  @ApiProperty() program!: string;
  @ApiProperty() year!: number;
  @ApiProperty() amountCny!: string;
  @ApiProperty({ enum: ['reserved', 'confirmed', 'released'] }) status!: AwardStatus;
  @ApiProperty() disbursedCny!: string;
}

class ExternalAwardResponse {
  @ApiProperty() ref!: string;
  @ApiProperty({ nullable: true, type: String }) amountCny!: string | null;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() recordedAt!: string;
}

export class BeneficiaryTotalsResponse implements BeneficiaryTotals {
  @ApiProperty() uscc!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ example: 'LZB-2019-4' }) policyVersion!: string;
  @ApiProperty({ type: [ProgramTotalsResponse] }) programs!: ProgramTotalsResponse[];
  @ApiProperty({ type: [ArticleTotalsResponse] }) articles!: ArticleTotalsResponse[];
  @ApiProperty() totalCountedCny!: string;
  @ApiProperty() totalDisbursedCny!: string;
  @ApiProperty({ type: [AwardLineResponse] }) awards!: AwardLineResponse[];
  @ApiProperty({ type: [ExternalAwardResponse] }) externalAwards!: ExternalAwardResponse[];
}
