import { Inject, Injectable, Logger } from '@nestjs/common';
import { beneficiaryDecider, beneficiaryStreamId, caseDecider, caseStreamId, caseTransitionRefusal, evaluateFacts, getPolicy } from '@cbec/domain';
import type { EventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicId, EVENT_STORE } from '@cbec/platform';
import { customsEventIdsOf, gatherApprovalInputs } from '../approve-award/approval-inputs';
import { CustomsFiguresReader } from '../approve-award/customs-figures.reader';
import { chinaDate } from '../calendar';
import type { ImportCustomsStatsAnswer } from '../import-customs-stats/customs-import.job';

/**
 * 复核 after a customs import: the revised figures are never applied to a decision silently. For each
 * enterprise whose figures the batch revised, every award it holds that is decided (approved, objected,
 * paid) is computed again as its approval would compute it now, on its ledger without itself (so its own
 * award does not cap it); when the customs events that computation reads differ from those the decision
 * read, the case is flagged with both computations (FlagRecheck) for its lead unit. The flag's id derives
 * from the revisions and the case: an import repeated, or this run repeated, flags once.
 */
@Injectable()
export class RecheckFinder {
  private readonly logger = new Logger('RecheckFinder');

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly customs: CustomsFiguresReader,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The cases flagged for the revisions of this import's batch, and the position of the last flag (0: none). */
  async afterImport(answer: ImportCustomsStatsAnswer, ctx: CommandContext): Promise<{ flagged: string[]; position: number }> {
    if (answer.revised === 0) return { flagged: [], position: 0 };
    const revisions = new Map<string, string[]>();
    for (const { streamId } of answer.streams) {
      for await (const e of this.store.readStream(streamId)) {
        const d = e.data as { batchId?: string; uscc?: string };
        if (e.type === 'CustomsStatisticsRevised' && d.batchId === answer.batchId && d.uscc)
          revisions.set(d.uscc, [...(revisions.get(d.uscc) ?? []), e.eventId]);
      }
    }
    const flagged: string[] = [];
    let position = 0;
    for (const [uscc, revisionEventIds] of revisions) {
      const ledger = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      for (const held of ledger.state.reservations.filter((r) => r.status === 'confirmed')) {
        const loaded = await this.aggregates.load(caseStreamId(held.applicationId), caseDecider);
        const theCase = loaded.state;
        if (theCase.status === 'none' || caseTransitionRefusal(theCase.status, 'FlagRecheck') || !theCase.approval) continue;
        const without = { ...ledger.state, reservations: ledger.state.reservations.filter((r) => r.reservationId !== held.reservationId) };
        const evaluation = evaluateFacts(await gatherApprovalInputs(this.aggregates, this.customs, theCase, without), getPolicy(theCase.policyVersion));
        const revisedIds = customsEventIdsOf(evaluation.trace);
        const a = theCase.approval;
        if ([...revisedIds].sort().join(' ') === [...a.customsEventIds].sort().join(' ')) continue; // no figure it used changed
        const result = await this.aggregates.execute(
          caseStreamId(theCase.applicationId),
          caseDecider,
          {
            type: 'FlagRecheck',
            data: {
              revisionEventIds,
              decided: { computedCny: a.computedCny, approvableCny: a.approvableCny, trace: a.trace, customsEventIds: a.customsEventIds },
              revised: {
                computedCny: evaluation.computed.toString(),
                approvableCny: evaluation.eligible ? evaluation.amount.toString() : '0.00',
                trace: evaluation.trace,
                customsEventIds: revisedIds,
              },
              flaggedOn: chinaDate(ctx.now),
            },
          },
          { ...ctx, commandId: deterministicId(answer.batchId, 'FlagRecheck', theCase.applicationId), causationId: ctx.commandId },
        );
        if (result.events.length) flagged.push(theCase.applicationId);
        position = Math.max(position, result.position);
      }
    }
    if (flagged.length) this.logger.log(`customs batch ${answer.batchId}: ${flagged.length} decided award(s) flagged for recheck (复核)`);
    return { flagged, position };
  }
}
