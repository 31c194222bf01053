import {
  beneficiaryDecider,
  caseDecider,
  CaseClaims,
  customsDecider,
  CustomsRowInput,
  CaseState,
  fundDecider,
  Money,
  ProgramId,
  usccCheckCharacter,
} from '@cbec/domain';
import type { Actor, EventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicId } from '@cbec/platform';

/** A valid USCC (GB 32100-2015 check character) of a Lu'an enterprise, numbered `n`. */
export function uscc(n: number): string {
  const first17 = `91341500MA2${String(n).padStart(6, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export const actors = {
  finOfficer: { user: 'fin-officer', unit: 'FIN', role: 'officer' },
  finHead: { user: 'fin-head', unit: 'FIN', role: 'head' },
  com: { user: 'com-officer', unit: 'COM', role: 'officer' },
  cus: { user: 'cus-officer', unit: 'CUS', role: 'officer' },
  pbc: { user: 'pbc-officer', unit: 'PBC', role: 'officer' },
  process: { user: 'process-manager', unit: 'FIN', role: 'system' },
  applicant: (u: string): Actor => ({ user: `applicant-${u}`, unit: 'APPLICANT', role: 'applicant', uscc: u }),
} satisfies Record<string, Actor | ((u: string) => Actor)>;

const REVIEWERS: Record<string, Actor> = { COM: actors.com, CUS: actors.cus, PBC: actors.pbc };

/**
 * Writes realistic histories through the real deciders and the workflow's AggregateStore (so the events
 * have the exact shapes and metadata the service stores), with an explicit clock.
 */
let scenarios = 0;

export class Scenario {
  readonly aggregates: AggregateStore;
  private now: Date;
  private commands = 0;
  // Event ids derive from command ids: two scenarios writing to one store must not share them (a real
  // store refuses an event id stored elsewhere).
  private readonly scenario = ++scenarios;

  constructor(
    readonly store: EventStore,
    start = '2020-03-02T09:00:00.000Z',
  ) {
    this.aggregates = new AggregateStore(store);
    this.now = new Date(start);
  }

  /** Moves the clock forward. */
  later(hours = 1): this {
    this.now = new Date(this.now.getTime() + hours * 3_600_000);
    return this;
  }

  get time(): string {
    return this.now.toISOString();
  }

  private ctx(actor: Actor): CommandContext {
    const commandId = `cmd-${this.scenario}-${++this.commands}`;
    this.later(0.01);
    return { commandId, correlationId: commandId, causationId: null, actor, now: this.now };
  }

  async submit(
    applicationId: string,
    program: ProgramId,
    beneficiaryUscc: string,
    options: { year?: number; kind?: 'enterprise' | 'platform' | 'park'; name?: string; claims?: CaseClaims } = {},
  ): Promise<number> {
    const kind = options.kind ?? (program.startsWith('P3') ? 'platform' : program === 'P4' ? 'park' : 'enterprise');
    const r = await this.aggregates.execute(
      `application-${applicationId}`,
      caseDecider,
      {
        type: 'SubmitApplication',
        data: {
          applicationId,
          program,
          year: options.year ?? 2019,
          beneficiary: { uscc: beneficiaryUscc, kind, name: options.name ?? `Enterprise ${beneficiaryUscc.slice(-4)}` },
          claims: options.claims ?? { promotesOnThirdPartyPlatform: true, platformFeesCny: ['120000.00', '30000.00'] },
          submittedBy: `applicant-${beneficiaryUscc}`,
        },
      },
      this.ctx(actors.applicant(beneficiaryUscc)),
    );
    return r.position;
  }

  /**
   * `notesIn: 'legacy-metadata'` writes the calendar notes as acceptances did before CaseAccepted carried
   * them (in the event's metadata only).
   */
  async accept(applicationId: string, dueDate = '2020-03-16', notes: string[] = [], notesIn: 'data' | 'legacy-metadata' = 'data'): Promise<number> {
    const legacy = notesIn === 'legacy-metadata';
    const r = await this.aggregates.execute(
      `application-${applicationId}`,
      caseDecider,
      { type: 'AcceptCase', data: { dueDate, acceptedBy: 'fin-officer', ...(notes.length && !legacy ? { calendarNotes: notes } : {}) } },
      this.ctx(actors.finOfficer),
      notes.length && legacy ? { metadata: { notes } } : {},
    );
    return r.position;
  }

  async opinion(applicationId: string, unit: 'COM' | 'CUS' | 'PBC', verdict: 'approve' | 'reject' = 'approve', comment = 'ok'): Promise<number> {
    const actor = REVIEWERS[unit];
    return this.caseCommand(applicationId, { type: 'RecordReviewOpinion', data: { unit, verdict, comment, author: actor.user } }, actor);
  }

  async overdue(applicationId: string, unit: 'COM' | 'CUS' | 'PBC', round: number, asOfDate: string): Promise<number> {
    return this.caseCommand(applicationId, { type: 'MarkReviewOverdue', data: { unit, round, asOfDate } }, actors.process);
  }

  async returnForCorrection(applicationId: string, reason = 'invoice missing'): Promise<number> {
    return this.caseCommand(applicationId, { type: 'ReturnForCorrection', data: { reason, returnedBy: 'fin-officer' } }, actors.finOfficer);
  }

  async resubmit(applicationId: string, applicant: string): Promise<number> {
    return this.caseCommand(
      applicationId,
      { type: 'ResubmitApplication', data: { claims: { promotesOnThirdPartyPlatform: true, corrected: true }, resubmittedBy: `applicant-${applicant}` } },
      actors.applicant(applicant),
    );
  }

  async reject(applicationId: string, reason = 'not eligible'): Promise<number> {
    return this.caseCommand(applicationId, { type: 'RejectApplication', data: { reason, rejectedBy: 'fin-officer' } }, actors.finOfficer);
  }

  async allocate(year: number, amountCny: string): Promise<number> {
    const r = await this.aggregates.execute(`fund-${year}`, fundDecider, { type: 'AllocateFundBudget', data: { year, amountCny } }, this.ctx(actors.finHead));
    return r.position;
  }

  /**
   * Appends an event as it stands, past every decider: an event a log may hold from before a rule of
   * the deciders (e.g. an amount above today's limits) that the read side must still apply exactly.
   */
  async appendAsStored(streamId: string, type: string, data: object, actor: Actor = actors.finHead): Promise<number> {
    const ctx = this.ctx(actor);
    const { lastGlobalPosition } = await this.store.append(
      streamId,
      [
        {
          eventId: deterministicId('raw-event', ctx.commandId),
          type,
          data,
          metadata: { correlationId: ctx.correlationId, causationId: null, commandId: ctx.commandId, actor, occurredAt: this.time, policyVersion: null },
        },
      ],
      { expectedVersion: 'any' },
    );
    return lastGlobalPosition;
  }

  /** Customs statistics (海关统计数据) as CUS imports them, one batch per year. */
  async importCustoms(year: number, rows: Array<Omit<CustomsRowInput, 'year' | 'name'> & { name?: string }>): Promise<number> {
    const r = await this.aggregates.execute(
      `customs-${year}`,
      customsDecider,
      {
        type: 'ImportCustomsStats',
        data: { year, batchId: `batch-${year}-${this.commands + 1}`, rows: rows.map((row) => ({ name: 'Enterprise', ...row, year })) },
      },
      this.ctx({ user: 'cus-officer', unit: 'CUS', role: 'officer' }),
    );
    return r.position;
  }

  async recordExternalAward(beneficiaryUscc: string, year: number, ref: string, amountCny: string | null): Promise<number> {
    const r = await this.aggregates.execute(
      `beneficiary-${beneficiaryUscc}`,
      beneficiaryDecider,
      { type: 'RecordExternalAward', data: { uscc: beneficiaryUscc, year, ref, amountCny, recordedBy: 'com-officer' } },
      this.ctx(actors.com),
    );
    return r.position;
  }

  /** A registry extract in the beneficiary register, as COM imports it. */
  async recordRegistration(beneficiaryUscc: string, division: string, date: string, documentNo: string): Promise<number> {
    const r = await this.aggregates.execute(
      `beneficiary-${beneficiaryUscc}`,
      beneficiaryDecider,
      {
        type: 'RecordRegistration',
        data: { uscc: beneficiaryUscc, division, date, documentNo, source: '市场监管登记档案', recordedBy: 'com-officer', batchId: 'b' },
      },
      this.ctx(actors.com),
    );
    return r.position;
  }

  /**
   * The approval process: reserve on the beneficiary (cut by caps), commit on the fund, approve on the
   * case, confirm the reservation. `failAfterReserve` stops after the reservation and releases it (the
   * compensation of a refused commitment).
   */
  async approve(applicationId: string, requestedCny: string, options: { failAfterReserve?: boolean } = {}): Promise<number> {
    const state = await this.caseState(applicationId);
    const reservationId = `res-${applicationId}`;
    const commitmentId = `com-${applicationId}`;
    const u = state.beneficiary.uscc;
    const reserved = await this.aggregates.execute(
      `beneficiary-${u}`,
      beneficiaryDecider,
      { type: 'ReserveAward', data: { uscc: u, reservationId, applicationId, program: state.program, year: state.year, requestedCny } },
      this.ctx(actors.finHead),
    );
    const held = reserved.state.reservations.find((r) => r.reservationId === reservationId)!;
    if (options.failAfterReserve) {
      const released = await this.aggregates.execute(
        `beneficiary-${u}`,
        beneficiaryDecider,
        { type: 'ReleaseReservation', data: { uscc: u, reservationId, reason: 'fund commitment refused' } },
        this.ctx(actors.process),
      );
      return released.position;
    }
    await this.aggregates.execute(
      `fund-${state.year}`,
      fundDecider,
      { type: 'CommitFunds', data: { year: state.year, commitmentId, applicationId, amountCny: held.amountCny } },
      this.ctx(actors.finHead),
    );
    await this.caseCommand(
      applicationId,
      {
        type: 'ApproveAward',
        data: {
          amountCny: held.amountCny,
          computedCny: requestedCny,
          approvableCny: held.amountCny,
          capApplied: null,
          trace: [
            { step: 'requested', value: requestedCny },
            { step: 'held under caps', value: held.amountCny },
          ],
          policyVersion: 'LZB-2019-4',
          customsEventIds: ['customs-event-1'],
          reservationId,
          commitmentId,
          approvedBy: 'fin-head',
        },
      },
      actors.finHead,
    );
    const confirmed = await this.aggregates.execute(
      `beneficiary-${u}`,
      beneficiaryDecider,
      { type: 'ConfirmReservation', data: { uscc: u, reservationId } },
      this.ctx(actors.process),
    );
    return confirmed.position;
  }

  async disburse(applicationId: string, paymentRef = `PAY-${applicationId}`): Promise<number> {
    const state = await this.caseState(applicationId);
    const amountCny = state.approval!.amountCny;
    await this.caseCommand(applicationId, { type: 'DisburseAward', data: { paymentRef, amountCny, disbursedBy: 'fin-officer' } }, actors.finOfficer);
    const r = await this.aggregates.execute(
      `fund-${state.year}`,
      fundDecider,
      { type: 'RecordPayment', data: { year: state.year, commitmentId: state.approval!.commitmentId, amountCny, paymentRef } },
      this.ctx(actors.finOfficer),
    );
    return r.position;
  }

  /** A whole P2a-style life: submit, accept, three approvals, approve, disburse. */
  async wholeLife(applicationId: string, beneficiaryUscc: string, amountCny: string, program: ProgramId = 'P2a'): Promise<number> {
    await this.submit(applicationId, program, beneficiaryUscc);
    await this.accept(applicationId);
    for (const unit of ['COM', 'CUS', 'PBC'] as const) await this.opinion(applicationId, unit);
    await this.approve(applicationId, amountCny);
    return this.disburse(applicationId);
  }

  async caseState(applicationId: string): Promise<Extract<CaseState, { status: Exclude<CaseState['status'], 'none'> }>> {
    const { state } = await this.aggregates.load(`application-${applicationId}`, caseDecider);
    if (state.status === 'none') throw new Error(`no case ${applicationId}`);
    return state;
  }

  private async caseCommand(applicationId: string, command: Parameters<typeof caseDecider.decide>[0], actor: Actor): Promise<number> {
    const r = await this.aggregates.execute(`application-${applicationId}`, caseDecider, command, this.ctx(actor));
    return r.position;
  }
}

export const money = (text: string): Money => Money.cny(text);
