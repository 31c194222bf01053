import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CASE_STATUSES } from '@cbec/domain';
import type { AwardPreview } from './award-preview';
import type { CaseDisplay } from './case-display';
import type {
  AwaitingView,
  AwardView,
  CaseDetail,
  EarlierAwardView,
  OpinionView,
  OverdueReviewView,
  PendingReviewView,
  SupplementView,
} from './get-case.query';

class TraceStepResponse {
  @ApiProperty({
    example: '适用封顶（单个企业年度最高10万元（四（二）））：¥105,000.00 减至 ¥100,000.00',
    description: "what was checked or computed, in the request's language",
  })
  step!: string;
  @ApiProperty({ example: '¥100,000.00', description: "its result, in the request's language" }) value!: string;
  @ApiPropertyOptional({ example: 'customs-event:6f1c…', description: 'the record it read (customs event, claim field, award, policy parameter)' })
  source?: string;
  @ApiProperty({ example: 'cap-applied', description: 'the stable code of the step (`legacy-text` for a step stored as text only)' }) code!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { cap: 'P2a-annual-cap', amount: 'CNY 105000.00', room: 'CNY 100000.00' } })
  params!: Record<string, string | number | boolean | null>;
  @ApiPropertyOptional({ example: '四（二）', description: 'the clause of 六政办秘〔2019〕4号 the step applies' }) clause?: string;
}

class DisplayResponse {
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale!: string;
  @ApiProperty({ example: '跨境电商平台服务年费和推广运营费补贴' }) program!: string;
  @ApiProperty({ example: '已拨付' }) status!: string;
  @ApiProperty({ example: '市财政局' }) leadUnit!: string;
  @ApiProperty({ type: [String], example: ['市商务局', '合肥海关驻六安办事处', '人民银行六安市中心支行'] }) cooperatingUnits!: string[];
  @ApiProperty({ example: '金安区' }) county!: string;
  @ApiProperty({ example: '2026-11-25 10:00 北京时间' }) submittedAt!: string;
  @ApiProperty({ example: '2026-11-25 10:00 北京时间' }) updatedAt!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) awaiting!: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) opinions!: unknown[];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, example: { amountCny: '¥100,000.00', approvedAt: '2026-11-25 10:00 北京时间' } })
  award!: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) awardPreview!: unknown;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) disbursement!: unknown;
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

class PublicityResponse {
  @ApiProperty({ example: '2019-10-09' }) from!: string;
  @ApiProperty({ example: '2019-10-15' }) until!: string;
  @ApiProperty({ example: 5 }) workingDays!: number;
}

class SequelResponse {
  @ApiProperty({
    example: 'PublicityObjectionRecorded',
    description:
      'PublicityObjectionRecorded, AwardUpheld, AwardWithdrawn, AwardRevoked, RecoveryOrdered, RepaymentRecorded or RecoverySettled, with its fields',
  })
  type!: string;
  @ApiProperty() at!: string;
  [field: string]: unknown;
}

class RepaymentResponse {
  @ApiProperty() repaymentRef!: string;
  @ApiProperty({ example: '20000.00' }) amountCny!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() at!: string;
}

class RecoveryResponse {
  @ApiProperty() recoveryId!: string;
  @ApiProperty({ enum: ['revocation', 'revision'] }) cause!: string;
  @ApiProperty({ example: '50000.00' }) amountCny!: string;
  @ApiProperty({ example: '2020-05-20' }) dueDate!: string;
  @ApiProperty({ example: '20000.00' }) repaidCny!: string;
  @ApiProperty({ example: '30000.00' }) outstandingCny!: string;
  @ApiProperty() settled!: boolean;
  @ApiProperty({ type: [RepaymentResponse] }) repayments!: RepaymentResponse[];
}

class SupplementResponse {
  @ApiProperty() supplementId!: string;
  @ApiProperty({ example: '2000.00', description: 'the difference the recheck found' }) differenceCny!: string;
  @ApiProperty({ description: 'the policy version skips the countersign of a supplementary award' }) countersignSkipped!: boolean;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'cooperating units whose opinion is awaited, with due dates',
  })
  pending!: SupplementView['pending'];
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) opinions!: SupplementView['opinions'];
  @ApiProperty({ nullable: true, type: String }) objectedBy!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: "{decision: approve | refuse, reason, decidedBy}: the lead unit head's decision after an objection (refused: closed, nothing reserved)",
  })
  objectionDecision!: SupplementView['objectionDecision'];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: '{amountCny, totalCny, approvedBy, commitmentId}' })
  approved!: SupplementView['approved'];
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: '{paymentRef, disbursedBy}' }) paid!: SupplementView['paid'];
}

class ProactiveComputationResponse {
  @ApiProperty({ example: '50000.00' }) computedCny!: string;
  @ApiProperty({ nullable: true, type: String, example: '50000.00', description: 'after caps; null for P2a (pending the fees)' }) amountCny!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } }) trace!: unknown[];
  @ApiProperty({ type: [String] }) customsEventIds!: string[];
}

class ProactiveResponse {
  @ApiProperty({ description: 'the COM user who opened the case' }) openedBy!: string;
  @ApiProperty() openedAt!: string;
  @ApiProperty({ type: [String], description: 'the claims the enterprise declares before acceptance' }) declarationsPending!: string[];
  @ApiProperty({ type: ProactiveComputationResponse, description: 'the computation on the customs statistics alone that found the enterprise' })
  computation!: ProactiveComputationResponse;
  @ApiProperty({ nullable: true, type: String, description: 'the enterprise user who confirmed; null while awaited' }) confirmedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) confirmedAt!: string | null;
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
  @ApiProperty({ type: PublicityResponse, nullable: true, description: '公示: paid only after `until` (null: approved before publicity existed)' })
  publicity!: PublicityResponse | null;
}

class EarlierAwardResponse implements EarlierAwardView {
  @ApiProperty({ description: 'the case that holds the award' }) applicationId!: string;
  @ApiProperty({ example: '100000.00' }) amountCny!: string;
  @ApiProperty() approvedAt!: string;
}

class LocalityResponse {
  @ApiProperty() uscc!: string;
  @ApiProperty({ description: 'GB/T 2260 code the decision used', example: '341502' }) division!: string;
  @ApiProperty({ description: "registered in Lu'an (3415) in the award year" }) local!: boolean;
  @ApiProperty({ enum: ['register', 'case-file', 'uscc-prefix'] }) basis!: string;
  @ApiProperty({ description: 'false: by USCC prefix, not confirmed by the register' }) confirmed!: boolean;
}

class LocalityNoteResponse {
  @ApiProperty({ name: 'zh-CN', example: '按统一社会信用代码前缀判断，未经登记信息确认' }) 'zh-CN'!: string;
  @ApiProperty({ example: 'by USCC prefix, not confirmed by the register' }) en!: string;
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
  @ApiPropertyOptional({
    type: [LocalityResponse],
    description: 'where the beneficiary (and each P3b recruit) is registered in the award year, and on what basis',
  })
  locality?: LocalityResponse[];
  @ApiPropertyOptional({
    type: LocalityNoteResponse,
    nullable: true,
    description: 'set when a locality was judged by the USCC prefix alone, not confirmed by the beneficiary register',
  })
  localityNote?: LocalityNoteResponse | null;
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
  // Every status the case decider has, those after the decision (公示 objection, withdrawn, revoked) included.
  @ApiProperty({ enum: [...CASE_STATUSES] })
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
  @ApiProperty({
    type: [SequelResponse],
    description: 'what followed the decision, in order (公示 objections, upholding, withdrawal, revocation, recovery, repayments)',
  })
  sequels!: SequelResponse[];
  @ApiProperty({ type: [RecoveryResponse], description: 'recovery orders (追回): what was returned, what is still owed' })
  recoveries!: RecoveryResponse[];
  @ApiProperty({ type: [SupplementResponse], description: '补发: supplementary awards opened by a recheck, their countersign, decision and payment' })
  supplements!: SupplementResponse[];
  @ApiProperty({ type: ProactiveResponse, nullable: true, description: '免申即享: opened by COM on the customs statistics alone; null for an application' })
  proactive!: ProactiveResponse | null;
  @ApiProperty({ description: "the case stream's version: send it as If-Match" }) version!: number;
  @ApiProperty({ description: "global position of the case's last event" }) position!: number;
  @ApiProperty({ type: DisplayResponse, description: "the case for people, in the request's language: labels, ¥ amounts, Beijing times (docs/chinese.md)" })
  display!: CaseDisplay;
}
