import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AwardPreview } from './award-preview';
import type { AwaitingView, AwardView, CaseDetail, EarlierAwardView, OpinionView, OverdueReviewView, PendingReviewView } from './get-case.query';

class TraceStepResponse {
  @ApiProperty({ example: 'article 四（二） annual cap' }) step!: string;
  @ApiProperty({ example: 'CNY 100000.00' }) value!: string;
  @ApiPropertyOptional({ example: 'customs-event:6f1c…' }) source?: string;
}

class PendingReviewResponse implements PendingReviewView {
  @ApiProperty({ example: 'CUS' }) unit!: string;
  @ApiProperty({ example: 1 }) round!: number;
  @ApiProperty({ example: '2020-03-16' }) dueDate!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2020-03-17' }) overdueAsOf!: string | null;
}

class OpinionResponse implements OpinionView {
  @ApiProperty() round!: number;
  @ApiProperty({ example: 'COM' }) unit!: string;
  @ApiProperty({ enum: ['approve', 'reject'] }) verdict!: 'approve' | 'reject';
  @ApiProperty() comment!: string;
  @ApiProperty({ description: 'the user who gave the opinion' }) author!: string;
  @ApiProperty() recordedAt!: string;
}

class OverdueReviewResponse implements OverdueReviewView {
  @ApiProperty() round!: number;
  @ApiProperty() unit!: string;
  @ApiProperty() dueDate!: string;
  @ApiProperty() asOfDate!: string;
  @ApiProperty({ enum: ['pending', 'approve', 'reject', 'withdrawn'] }) outcome!: 'pending' | 'approve' | 'reject' | 'withdrawn';
}

class AwardResponse implements AwardView {
  @ApiProperty({ example: '100000.00' }) amountCny!: string;
  @ApiProperty({ example: '105000.00', description: 'what the rule computed from the imported customs figures, before caps (as `evaluate`)' })
  computedCny!: string;
  @ApiProperty({ example: '100000.00', description: 'after caps: the most the head could approve; less needed reasonIfLower' }) approvableCny!: string;
  @ApiProperty({ nullable: true, type: String }) reasonIfLower!: string | null;
  @ApiProperty({ nullable: true, type: String }) capApplied!: string | null;
  @ApiProperty({ type: [TraceStepResponse] }) trace!: TraceStepResponse[];
  @ApiProperty({ example: 'LZB-2019-4' }) policyVersion!: string;
  @ApiProperty({ type: [String] }) customsEventIds!: string[];
  @ApiProperty() reservationId!: string;
  @ApiProperty() commitmentId!: string;
  @ApiProperty() approvedBy!: string;
  @ApiProperty() approvedAt!: string;
}

class EarlierAwardResponse implements EarlierAwardView {
  @ApiProperty({ description: 'the case that holds the award' }) applicationId!: string;
  @ApiProperty({ example: '100000.00' }) amountCny!: string;
  @ApiProperty() approvedAt!: string;
}

class AwardPreviewResponse {
  @ApiProperty({ description: 'what an approval now would compute; the approval recomputes it' }) preview!: true;
  @ApiPropertyOptional() eligible?: boolean;
  @ApiPropertyOptional({ example: '100000.00', description: 'what may be awarded (after caps, one-time rules, period): the ceiling of the approval' })
  amountCny?: string;
  @ApiPropertyOptional({ example: '105000.00', description: 'what the clause computes before caps (as `evaluate` says)' }) computedCny?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) capApplied?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['below-threshold'] }) reasons?: string[];
  @ApiPropertyOptional({ type: [TraceStepResponse] }) trace?: TraceStepResponse[];
  @ApiPropertyOptional() policyVersion?: string;
  @ApiPropertyOptional({ type: [String] }) customsEventIds?: string[];
  @ApiPropertyOptional({ description: 'why the engine could not evaluate the case as it stands' }) error?: string;
}

class BeneficiaryResponse {
  @ApiProperty() uscc!: string;
  @ApiProperty({ enum: ['enterprise', 'platform', 'park'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) manufacturing!: boolean | null;
}

class AwaitingResponse implements AwaitingView {
  @ApiProperty({ example: 'FIN' }) unit!: string;
  @ApiProperty({ example: 'acceptance or return' }) step!: string;
  @ApiProperty({ nullable: true, type: String, example: '2020-03-16' }) dueDate!: string | null;
}

export class CaseDetailResponse implements CaseDetail {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ example: 'P2a' }) program!: string;
  @ApiProperty({ example: 2019 }) year!: number;
  @ApiProperty({ enum: ['submitted', 'returned', 'under-review', 'objected', 'ready-for-decision', 'approved', 'rejected', 'disbursed'] })
  status!: string;
  @ApiProperty({ type: BeneficiaryResponse }) beneficiary!: BeneficiaryResponse;
  @ApiProperty({ example: 'FIN' }) leadUnit!: string;
  @ApiProperty({ type: [String], example: ['COM', 'CUS', 'PBC'] }) cooperatingUnits!: string[];
  @ApiProperty({ description: 'countersign round (会签), 0 until accepted' }) round!: number;
  @ApiProperty({ type: [AwaitingResponse], description: 'who acts next, on what, by when' }) awaiting!: AwaitingResponse[];
  @ApiProperty({ type: [PendingReviewResponse] }) pendingUnits!: PendingReviewResponse[];
  @ApiProperty({ type: [OpinionResponse] }) opinions!: OpinionResponse[];
  @ApiProperty({ type: [OverdueReviewResponse] }) overdueReviews!: OverdueReviewResponse[];
  @ApiProperty({ type: [String], example: ['calendar-missing:2027'], description: 'due dates counted Monday–Friday for lack of a calendar' })
  calendarNotes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) claims!: unknown;
  @ApiProperty() policyVersion!: string;
  @ApiProperty() submittedAt!: string;
  @ApiProperty() submittedBy!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) returnReason!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) objection!: CaseDetail['objection'];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) rejection!: CaseDetail['rejection'];
  @ApiProperty({ type: AwardResponse, nullable: true }) award!: AwardResponse | null;
  @ApiProperty({ type: AwardPreviewResponse, nullable: true, description: 'before the decision: the award an approval now would compute, with its trace' })
  awardPreview!: AwardPreview | null;
  @ApiProperty({
    type: EarlierAwardResponse,
    nullable: true,
    description: 'the award another case of the same enterprise, program and year already holds: this case asks for a second one',
  })
  earlierAward!: EarlierAwardView | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) disbursement!: CaseDetail['disbursement'];
  @ApiProperty({ description: "the case stream's version: send it as If-Match" }) version!: number;
  @ApiProperty({ description: "global position of the case's last event" }) position!: number;
}
