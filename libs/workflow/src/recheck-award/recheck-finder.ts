import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  awardedCnyOf,
  beneficiaryDecider,
  beneficiaryStreamId,
  caseDecider,
  caseStreamId,
  caseTransitionRefusal,
  evaluateFacts,
  getPolicy,
} from '@cbec/domain';
import type { EventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicId, EVENT_STORE } from '@cbec/platform';
import { customsEventIdsOf, gatherApprovalInputs } from '../approve-award/approval-inputs';
import { CustomsFiguresReader } from '../approve-award/customs-figures.reader';
import { chinaDate } from '../calendar';
import type { ImportCustomsStatsAnswer } from '../import-customs-stats/customs-import.job';

/**
 * 复核 after a customs import: the revised figures are never applied to a decision silently. For each
 * enterprise whose figures the batch revised, every award it holds that is decided (approved, objected,
 * paid) is computed again as its approval would compute it now: the awards of each year in the order they
 * were decided, each on the ledger without itself and without the later ones of its year, the earlier ones
 * at their recomputed amounts (so the per-program and article caps are recomputed across the enterprise's
 * awards of the year). When the customs events that computation reads differ from those the decision read,
 * or the recomputed caps give another amount, the case is flagged with both computations (FlagRecheck) for
 * its lead unit. The flag's id derives
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
      // Caps recomputed across the enterprise's awards of a year: the decided awards of each year, in the order
      // they were decided, each computed on the ledger of the earlier ones at their recomputed amounts (the caps
      // fill in decision order, as when they were decided) and of every other award as it stands.
      const decided = ledger.state.reservations.filter((r) => r.status === 'confirmed');
      const recomputed = new Map<string, string>();
      for (const held of decided) {
        const loaded = await this.aggregates.load(caseStreamId(held.applicationId), caseDecider);
        const theCase = loaded.state;
        if (theCase.status === 'none' || !theCase.approval) continue;
        const all = ledger.state.reservations;
        const sameYearLater = new Set(all.filter((r, k) => r.year === held.year && k > all.indexOf(held)).map((r) => r.reservationId));
        const onLedger = {
          ...ledger.state,
          reservations: ledger.state.reservations
            .filter((r) => r.reservationId !== held.reservationId && !sameYearLater.has(r.reservationId))
            .map((r) => (recomputed.has(r.reservationId) ? { ...r, amountCny: recomputed.get(r.reservationId)! } : r)),
        };
        const evaluation = evaluateFacts(await gatherApprovalInputs(this.aggregates, this.customs, theCase, onLedger), getPolicy(theCase.policyVersion));
        const revisedCny = evaluation.eligible ? evaluation.amount.toString() : '0.00';
        recomputed.set(held.reservationId, revisedCny);
        if (caseTransitionRefusal(theCase.status, 'FlagRecheck')) continue;
        const revisedIds = customsEventIdsOf(evaluation.trace);
        const a = theCase.approval;
        const figuresChanged = [...revisedIds].sort().join(' ') !== [...a.customsEventIds].sort().join(' ');
        // A cap moved by another award's revision, though this award's own figures did not change (an award the
        // head approved lower, with a reason, is not raised by it).
        const capsMoved = a.reasonIfLower === null && revisedCny !== awardedCnyOf(theCase);
        if (!figuresChanged && !capsMoved) continue;
        const result = await this.aggregates.execute(
          caseStreamId(theCase.applicationId),
          caseDecider,
          {
            type: 'FlagRecheck',
            data: {
              revisionEventIds,
              decided: { computedCny: a.computedCny, approvableCny: a.approvableCny, trace: a.trace, customsEventIds: a.customsEventIds },
              revised: { computedCny: evaluation.computed.toString(), approvableCny: revisedCny, trace: evaluation.trace, customsEventIds: revisedIds },
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
