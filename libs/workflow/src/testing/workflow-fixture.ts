import {
  caseDecider,
  caseStreamId,
  CaseClaims,
  CustomsRowInput,
  customsDecider,
  customsStreamId,
  fundDecider,
  fundStreamId,
  getPolicy,
  usccCheckCharacter,
} from '@cbec/domain';
import { Actor, InMemoryEventStore, RecordedEvent } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicId } from '@cbec/platform';
import { builtInCalendarPath, readCalendarFile, WorkingDayCalendar } from '../calendar';

/** A valid USCC of Lu'an numbered `n`. */
export function uscc(n: number): string {
  const first17 = `91341502MA${String(n).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export const actors = {
  finOfficer: { user: 'fin-chen', unit: 'FIN', role: 'officer' },
  finHead: { user: 'fin-zhao', unit: 'FIN', role: 'head' },
  comOfficer: { user: 'com-liu', unit: 'COM', role: 'officer' },
  cusOfficer: { user: 'cus-wang', unit: 'CUS', role: 'officer' },
  pbcOfficer: { user: 'pbc-sun', unit: 'PBC', role: 'officer' },
  auditor: { user: 'audit-qian', unit: 'AUDIT', role: 'auditor' },
  applicant: (u: string): Actor => ({ user: `applicant-${u.slice(-4)}`, unit: 'APPLICANT', role: 'applicant', uscc: u }),
} as const;

/** The in-memory store, the aggregate store over it, and a context factory with a fixed clock. */
export class WorkflowFixture {
  readonly events = new InMemoryEventStore();
  readonly aggregates = new AggregateStore(this.events);
  readonly policy = getPolicy();
  /** The built-in working-day calendar (no data folder). */
  readonly calendar = new WorkingDayCalendar(readCalendarFile(builtInCalendarPath()));
  now = new Date('2020-03-02T02:00:00.000Z');
  private seq = 0;

  ctx(actor: Actor, commandId = deterministicId('spec', String(++this.seq))): CommandContext {
    return { commandId, correlationId: commandId, causationId: null, actor, now: this.now };
  }

  /** A submitted case (P2a unless told otherwise); returns its id. */
  async submitted(
    beneficiary = uscc(1),
    program = 'P2a',
    claims: CaseClaims = { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00'] },
  ): Promise<string> {
    const applicationId = deterministicId('case', String(++this.seq));
    await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      {
        type: 'SubmitApplication',
        data: { applicationId, program, year: 2019, beneficiary: { uscc: beneficiary, kind: 'enterprise', manufacturing: false }, claims, submittedBy: 'x' },
      },
      this.ctx(actors.applicant(beneficiary)),
    );
    return applicationId;
  }

  /** Accepted (due 2020-03-16) and, with `opinions`, approved by every cooperating unit. */
  async underReview(applicationId: string, opinions = false): Promise<void> {
    const stream = caseStreamId(applicationId);
    await this.aggregates.execute(
      stream,
      caseDecider,
      { type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-chen' } },
      this.ctx(actors.finOfficer),
    );
    if (!opinions) return;
    for (const a of [actors.comOfficer, actors.cusOfficer, actors.pbcOfficer]) {
      await this.aggregates.execute(
        stream,
        caseDecider,
        { type: 'RecordReviewOpinion', data: { unit: a.unit as 'COM', verdict: 'approve', comment: 'ok', author: a.user } },
        this.ctx(a),
      );
    }
  }

  /** Customs statistics for `year` (2019 by default) imported by CUS (batch `batchId`). */
  async customsImported(rows: CustomsRowInput[], batchId = 'b1', year = 2019): Promise<void> {
    await this.aggregates.execute(
      customsStreamId(year),
      customsDecider,
      { type: 'ImportCustomsStats', data: { year, batchId, rows } },
      this.ctx(actors.cusOfficer),
    );
  }

  /** The special fund's 2019 appropriation, allocated by the FIN head. */
  async fundAllocated(amountCny: string): Promise<void> {
    await this.aggregates.execute(fundStreamId(2019), fundDecider, { type: 'AllocateFundBudget', data: { year: 2019, amountCny } }, this.ctx(actors.finHead));
  }

  async stream(streamId: string): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const e of this.events.readStream(streamId)) out.push(e);
    return out;
  }

  async types(streamId: string): Promise<string[]> {
    return (await this.stream(streamId)).map((e) => e.type);
  }
}
