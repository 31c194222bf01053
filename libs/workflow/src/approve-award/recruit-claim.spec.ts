import { beneficiaryDecider, beneficiaryStreamId, caseDecider, caseStreamId, DomainCommand, DomainEvent } from '@cbec/domain';
import { AggregateStore, deterministicId, LoadedAggregate } from '@cbec/platform';
import { actors, uscc, WorkflowFixture } from '../testing/workflow-fixture';
import { ApprovalProcess, RecruitCountedElsewhere } from './approval.process';
import { CustomsFiguresReader } from './customs-figures.reader';
import { SagaExecutor } from '../saga/saga-executor';

const PLATFORM_A = uscc(21);
const PLATFORM_B = uscc(22);
const SHARED = uscc(501);
const ONLY_A = uscc(502);
const ONLY_B = uscc(503);

/**
 * Holds the first `parties` reads of one stream until all of them arrived: both approvals compute their
 * award on the same moment of the recruit's ledger (nobody has counted it yet), the race of 四（三）.
 */
class BarrierAggregateStore extends AggregateStore {
  private waiting: Array<() => void> = [];
  private reads = 0;
  constructor(
    store: WorkflowFixture['events'],
    private readonly streamId: string,
    private readonly parties: number,
  ) {
    super(store);
  }
  override async load<S>(
    streamId: string,
    decider: Parameters<AggregateStore['load']>[1] & { initialState: () => S; evolve: (s: S, e: DomainEvent) => S },
  ): Promise<LoadedAggregate<S>> {
    if (streamId === this.streamId && this.reads < this.parties) {
      this.reads++;
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        if (this.waiting.length === this.parties) this.waiting.forEach((r) => r());
      });
    }
    return super.load(streamId, decider as never) as Promise<LoadedAggregate<S>>;
  }
}

describe('ApproveAward, P3b recruits (四（三）: an enterprise counts once, ever, for one platform only)', () => {
  let f: WorkflowFixture;
  let approvals: ApprovalProcess;
  let seq = 0;

  async function readyP3b(platform: string, recruits: string[]): Promise<string> {
    const applicationId = deterministicId('p3b-case', String(++seq));
    await f.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      {
        type: 'SubmitApplication',
        data: { applicationId, program: 'P3b', year: 2019, beneficiary: { uscc: platform, kind: 'platform' }, claims: { recruits }, submittedBy: 'x' },
      } as DomainCommand,
      f.ctx(actors.applicant(platform)),
    );
    await f.underReview(applicationId, true);
    return applicationId;
  }

  const OTHER_IN_2018 = uscc(990);

  beforeEach(async () => {
    f = new WorkflowFixture();
    const barrier = new BarrierAggregateStore(f.events, beneficiaryStreamId(SHARED), 2);
    approvals = new ApprovalProcess(barrier, new CustomsFiguresReader(f.events), new SagaExecutor(barrier), f.calendar, {
      now: () => f.now,
    });
    const rows = [SHARED, ONLY_A, ONLY_B].map((u) => ({
      year: 2019,
      uscc: u,
      name: 'x',
      export9610Usd: '0.00',
      cbecImportUsd: '0.00',
      cbecExportUsd: '1000.00',
      totalExportUsd: '1000.00',
      platformLocalOnlineTradeUsd: null,
    }));
    await f.customsImported(rows);
    // 2018's statistics imported, without these recruits: none of them traded before 2019 (零突破).
    await f.customsImported([{ ...rows[0], year: 2018, uscc: OTHER_IN_2018 }], 'b0', 2018);
    await f.fundAllocated('1000000.00');
  });

  it('pays only one of two platforms approved concurrently for the same recruit, and releases what the other took', async () => {
    const idA = await readyP3b(PLATFORM_A, [SHARED, ONLY_A]);
    const idB = await readyP3b(PLATFORM_B, [SHARED, ONLY_B]);

    const [a, b] = await Promise.allSettled([
      approvals.approve(idA, {}, f.ctx(actors.finHead, 'approve-a')),
      approvals.approve(idB, {}, f.ctx(actors.finHead, 'approve-b')),
    ]);

    const settled = [a, b];
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const refused = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected')!.reason as RecruitCountedElsewhere;
    expect(refused).toBeInstanceOf(RecruitCountedElsewhere);
    expect(refused).toMatchObject({ code: 'recruit-counted-elsewhere', httpStatus: 422, usccs: [SHARED] });

    const shared = (await f.aggregates.load(beneficiaryStreamId(SHARED), beneficiaryDecider)).state.countedAsRecruit!;
    const [winner, loser, loserId, loserOwn] =
      shared.platformUscc === PLATFORM_A ? [PLATFORM_A, PLATFORM_B, idB, ONLY_B] : [PLATFORM_B, PLATFORM_A, idA, ONLY_A];
    expect(await f.types(beneficiaryStreamId(SHARED))).toEqual(['RecruitCounted']);
    expect(await f.types(beneficiaryStreamId(winner))).toEqual(['AwardReserved', 'ReservationConfirmed']);
    // The loser's compensation is recorded: its own recruit's claim, then its reservation, released.
    expect(await f.types(beneficiaryStreamId(loser))).toEqual(['AwardReserved', 'ReservationReleased']);
    expect(await f.types(beneficiaryStreamId(loserOwn))).toEqual(['RecruitCounted', 'RecruitClaimReleased']);
    expect((await f.types('fund-2019')).filter((t) => t === 'FundsCommitted')).toHaveLength(1);
    expect((await f.stream(caseStreamId(loserId))).some((e) => e.type === 'AwardApproved')).toBe(false);

    // The head approves again: the recomputation leaves the recruit out and pays for the loser's own one.
    const again = await approvals.approve(loserId, {}, f.ctx(actors.finHead, 'approve-again'));
    expect(again.amountCny).toBe('10000.00');
    expect((await f.aggregates.load(beneficiaryStreamId(loserOwn), beneficiaryDecider)).state.countedAsRecruit).toMatchObject({ platformUscc: loser });
    expect((await f.aggregates.load(beneficiaryStreamId(SHARED), beneficiaryDecider)).state.countedAsRecruit).toMatchObject({ platformUscc: winner });
  });

  it('releases the recruit claims with the reservation when a resumed approval finds the case no longer awaiting it', async () => {
    approvals = new ApprovalProcess(f.aggregates, new CustomsFiguresReader(f.events), new SagaExecutor(f.aggregates), f.calendar, { now: () => f.now });
    const id = await readyP3b(PLATFORM_A, [SHARED, ONLY_A]);
    f.events.beforeAppend = (streamId) => {
      if (streamId === 'fund-2019') {
        f.events.beforeAppend = undefined;
        throw new Error('crash');
      }
    };
    await expect(approvals.approve(id, {}, f.ctx(actors.finHead, 'approve-crash'))).rejects.toThrow('crash');
    expect(await f.types(beneficiaryStreamId(SHARED))).toEqual(['RecruitCounted']);
    await f.aggregates.execute(
      caseStreamId(id),
      caseDecider,
      { type: 'RejectApplication', data: { reason: 'not eligible', rejectedBy: 'fin-zhao' } } as DomainCommand,
      f.ctx(actors.finHead),
    );

    const reservationId = ((await f.stream(beneficiaryStreamId(PLATFORM_A)))[0].data as { reservationId: string }).reservationId;
    await expect(approvals.resumeApproval({ uscc: PLATFORM_A, reservationId })).resolves.toMatchObject({ outcome: 'released' });
    expect(await f.types(beneficiaryStreamId(SHARED))).toEqual(['RecruitCounted', 'RecruitClaimReleased']);
    expect(await f.types(beneficiaryStreamId(ONLY_A))).toEqual(['RecruitCounted', 'RecruitClaimReleased']);
    expect(await f.types(beneficiaryStreamId(PLATFORM_A))).toEqual(['AwardReserved', 'ReservationReleased']);
  });
});
