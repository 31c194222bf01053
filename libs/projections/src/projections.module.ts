import { INestApplicationContext, Module } from '@nestjs/common';
import { CustomsFiguresReader } from '@cbec/workflow';
import { GetBeneficiaryTotalsController } from './beneficiary-totals/get-beneficiary-totals/get-beneficiary-totals.controller';
import { GetBeneficiaryTotalsHandler } from './beneficiary-totals/get-beneficiary-totals/get-beneficiary-totals.query';
import { GetRegistrationController } from './beneficiary-register/get-registration/get-registration.controller';
import { GetRegistrationHandler } from './beneficiary-register/get-registration/get-registration.query';
import { GetCaseController } from './cases/get-case/get-case.controller';
import { GetCaseHandler } from './cases/get-case/get-case.query';
import { GetCaseHistoryController } from './cases/get-case-history/get-case-history.controller';
import { GetCaseHistoryHandler } from './cases/get-case-history/get-case-history.query';
import { ListCasesController } from './cases/list-cases/list-cases.controller';
import { ListCasesHandler } from './cases/list-cases/list-cases.query';
import { GetFundStatusController } from './fund-status/get-fund-status/get-fund-status.controller';
import { GetFundStatusHandler } from './fund-status/get-fund-status/get-fund-status.query';
import { GetInboxController } from './inbox/get-inbox/get-inbox.controller';
import { GetInboxHandler } from './inbox/get-inbox/get-inbox.query';
import { GetReviewBoardController } from './inbox/get-review-board/get-review-board.controller';
import { GetReviewBoardHandler } from './inbox/get-review-board/get-review-board.query';
import { ReadModels } from './read-models';
import { PublicityListController } from './cases/publicity-list/publicity-list.controller';
import { GetAwardStatisticsController } from './statistics/get-award-statistics/get-award-statistics.controller';
import { GetAwardStatisticsHandler } from './statistics/get-award-statistics/get-award-statistics.query';

/**
 * The read side: the projection runner (a checkpointed store subscription, started on bootstrap) and the
 * GET endpoints of docs/api.md. Needs from the app: `CqrsModule.forRoot()` (the global QueryBus), the
 * `'EVENT_STORE'` and `'DATA_DIR'` providers, and `'POLICY'` when present (else the default policy).
 */
@Module({
  controllers: [
    ListCasesController,
    GetCaseHistoryController,
    GetCaseController,
    GetReviewBoardController,
    GetInboxController,
    GetBeneficiaryTotalsController,
    GetFundStatusController,
    GetAwardStatisticsController,
    GetRegistrationController,
    PublicityListController,
  ],
  providers: [
    ReadModels,
    // The award preview of a case reads the customs statistics in force, as the approval does.
    CustomsFiguresReader,
    GetCaseHandler,
    ListCasesHandler,
    GetCaseHistoryHandler,
    GetInboxHandler,
    GetReviewBoardHandler,
    GetBeneficiaryTotalsHandler,
    GetFundStatusHandler,
    GetAwardStatisticsHandler,
    GetRegistrationHandler,
  ],
  exports: [ReadModels],
})
export class ProjectionsModule {}

/** Resolves once the app's read models include global position `position` (e.g. a command's answer). */
export function waitForProjections(app: INestApplicationContext, position: number, timeoutMs = 10_000): Promise<void> {
  return app.get(ReadModels, { strict: false }).runner.caughtUp(position, { timeoutMs });
}
