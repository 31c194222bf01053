import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AcceptCaseController } from './accept-case/accept-case.controller';
import { AcceptCaseHandler } from './accept-case/accept-case.handler';
import { CalendarModule } from './calendar/calendar.module';
import { AllocateFundBudgetController } from './allocate-fund-budget/allocate-fund-budget.controller';
import { AllocateFundBudgetHandler } from './allocate-fund-budget/allocate-fund-budget.handler';
import { ApprovalProcess } from './approve-award/approval.process';
import { SagaExecutor } from './saga/saga-executor';
import { CaseSequence } from './saga/case-sequence';
import { RecheckFinder } from './recheck-award/recheck-finder';
import { RecordRecheckController } from './recheck-award/record-recheck.controller';
import { RecordRecheckHandler } from './recheck-award/record-recheck.handler';
import { RecordPublicityObjectionController } from './record-publicity-objection/record-publicity-objection.controller';
import { RecordPublicityObjectionHandler } from './record-publicity-objection/record-publicity-objection.handler';
import { DecidePublicityObjectionController } from './decide-publicity-objection/decide-publicity-objection.controller';
import { DecidePublicityObjectionHandler } from './decide-publicity-objection/decide-publicity-objection.handler';
import { RevokeAwardController } from './revoke-award/revoke-award.controller';
import { RevokeAwardHandler } from './revoke-award/revoke-award.handler';
import { RecordRepaymentController } from './record-repayment/record-repayment.controller';
import { RecordRepaymentHandler } from './record-repayment/record-repayment.handler';
import { ApproveAwardController } from './approve-award/approve-award.controller';
import { ApproveAwardHandler } from './approve-award/approve-award.handler';
import { CustomsFiguresReader } from './approve-award/customs-figures.reader';
import { DisburseAwardController } from './disburse-award/disburse-award.controller';
import { DisburseAwardHandler } from './disburse-award/disburse-award.handler';
import { EvaluateCaseController } from './evaluate-case/evaluate-case.controller';
import { ImportBeneficiaryRegisterController } from './import-beneficiary-register/import-beneficiary-register.controller';
import { ImportBeneficiaryRegisterHandler } from './import-beneficiary-register/import-beneficiary-register.handler';
import { ImportCustomsStatsController } from './import-customs-stats/import-customs-stats.controller';
import { CustomsImports } from './import-customs-stats/customs-imports';
import { ImportCustomsStatsHandler, StartCustomsImportHandler } from './import-customs-stats/import-customs-stats.handler';
import { RecordExternalAwardController } from './record-external-award/record-external-award.controller';
import { RecordExternalAwardHandler } from './record-external-award/record-external-award.handler';
import { RecordReviewOpinionController } from './record-review-opinion/record-review-opinion.controller';
import { RecordReviewOpinionHandler } from './record-review-opinion/record-review-opinion.handler';
import { RejectApplicationController } from './reject-application/reject-application.controller';
import { RejectApplicationHandler } from './reject-application/reject-application.handler';
import { ResubmitApplicationController } from './resubmit-application/resubmit-application.controller';
import { ResubmitApplicationHandler } from './resubmit-application/resubmit-application.handler';
import { ReturnForCorrectionController } from './return-for-correction/return-for-correction.controller';
import { ReturnForCorrectionHandler } from './return-for-correction/return-for-correction.handler';
import { SubmitApplicationController } from './submit-application/submit-application.controller';
import { SubmitApplicationHandler } from './submit-application/submit-application.handler';
import { ConfirmDeclarationsController } from './confirm-declarations/confirm-declarations.controller';
import { ConfirmDeclarationsHandler } from './confirm-declarations/confirm-declarations.handler';
import { OpenProactiveAwardsHandler } from './proactive-awards/open-proactive-awards.handler';
import { ProactiveAwardsController } from './proactive-awards/proactive-awards.controller';
import { ProactiveCandidatesFinder } from './proactive-awards/proactive-candidates.finder';
import { SupplementController } from './approve-supplement/supplement.controller';
import { ApproveSupplementHandler, DisburseSupplementHandler, RecordSupplementOpinionHandler } from './approve-supplement/supplement.handlers';

/**
 * The write side of the workflow: one controller + handler per use case (docs/api.md's command routes).
 * Needs WorkflowCoreModule (global providers) and CqrsModule.forRoot() in the app.
 */
@Module({
  imports: [CqrsModule, CalendarModule],
  controllers: [
    EvaluateCaseController,
    ImportCustomsStatsController,
    ImportBeneficiaryRegisterController,
    AllocateFundBudgetController,
    SubmitApplicationController,
    AcceptCaseController,
    ReturnForCorrectionController,
    ResubmitApplicationController,
    RecordReviewOpinionController,
    ApproveAwardController,
    RejectApplicationController,
    DisburseAwardController,
    RecordExternalAwardController,
    RecordPublicityObjectionController,
    DecidePublicityObjectionController,
    RevokeAwardController,
    RecordRepaymentController,
    RecordRecheckController,
    ProactiveAwardsController,
    ConfirmDeclarationsController,
    SupplementController,
  ],
  providers: [
    CustomsFiguresReader,
    SagaExecutor,
    ApprovalProcess,
    CustomsImports,
    ImportCustomsStatsHandler,
    ImportBeneficiaryRegisterHandler,
    StartCustomsImportHandler,
    AllocateFundBudgetHandler,
    SubmitApplicationHandler,
    AcceptCaseHandler,
    ReturnForCorrectionHandler,
    ResubmitApplicationHandler,
    RecordReviewOpinionHandler,
    ApproveAwardHandler,
    RejectApplicationHandler,
    DisburseAwardHandler,
    RecordExternalAwardHandler,
    CaseSequence,
    RecordPublicityObjectionHandler,
    DecidePublicityObjectionHandler,
    RevokeAwardHandler,
    RecordRepaymentHandler,
    RecheckFinder,
    RecordRecheckHandler,
    ProactiveCandidatesFinder,
    OpenProactiveAwardsHandler,
    ConfirmDeclarationsHandler,
    RecordSupplementOpinionHandler,
    ApproveSupplementHandler,
    DisburseSupplementHandler,
  ],
  exports: [ApprovalProcess, SagaExecutor, CustomsFiguresReader],
})
export class WorkflowCommandsModule {}
