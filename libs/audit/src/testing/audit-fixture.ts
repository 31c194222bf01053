import {
  beneficiaryDecider,
  beneficiaryStreamId,
  caseDecider,
  caseStreamId,
  customsStreamId,
  fundDecider,
  fundStreamId,
  type Decider,
  type DomainCommand,
  type DomainEvent,
} from '@cbec/domain';
import { openSqliteEventStore, type Actor, type EventStore, type SqliteEventStore } from '@cbec/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregateStore, deterministicId } from '@cbec/platform';
import { auditFiles } from '../shared/audit-files';
import { SigningKey } from '../integrity/signing-key';

/** Test support: a real SQLite store in a temp folder, and cases carried through the real deciders. */
/**
 * Runs a hand-written SQLite statement for a spec, rethrowing its refusal as an Error of the spec's own
 * realm: better-sqlite3's SqliteError may come from another one, which `rejects.toThrow` does not take
 * for a thrown error (it reports "did not throw").
 */
export async function sqliteRefusal(run: () => unknown): Promise<unknown> {
  try {
    return run();
  } catch (error) {
    throw new Error((error as Error).message, { cause: error });
  }
}

export function tempDataDir(prefix = 'cbec-audit-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function openTempStore(dataDir: string): SqliteEventStore {
  return openSqliteEventStore({ directory: dataDir, synchronous: 'NORMAL', pollIntervalMs: 10, logger: { error: () => undefined } });
}

export const USCC = '91341500MA2010017C';

const actor = (unit: string, role: string, user = `${unit.toLowerCase()}-${role}`): Actor => ({ user, unit, role });

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = new Date('2020-03-02T09:00:00Z')) {}
  now(): Date {
    return this.t;
  }
  advance(minutes: number): Date {
    this.t = new Date(this.t.getTime() + minutes * 60_000);
    return this.t;
  }
}

export class CaseDriver {
  readonly aggregates: AggregateStore;
  constructor(
    readonly store: EventStore,
    readonly clock = new TestClock(),
  ) {
    this.aggregates = new AggregateStore(store);
  }

  async run<C extends DomainCommand, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    who: Actor,
    correlationId: string,
    causationId: string | null = null,
    commandId: string = randomUUID(),
  ) {
    this.clock.advance(5);
    return this.aggregates.execute(streamId, decider, command, { commandId, correlationId, causationId, actor: who, now: this.clock.now() });
  }

  /** CUS imports (or revises) customs figures: appended as the import would store them. */
  async importCustoms(
    year: number,
    figures: { cbecImportUsd: string; cbecExportUsd: string; previous?: { eventIndex: number; figures: Record<string, string | null> } },
  ): Promise<string> {
    this.clock.advance(5);
    const eventId = randomUUID();
    const base = {
      year,
      uscc: USCC,
      name: '六安市经开区鑫茂汽配实业有限公司',
      export9610Usd: '0.00',
      cbecImportUsd: figures.cbecImportUsd,
      cbecExportUsd: figures.cbecExportUsd,
      totalExportUsd: '3000000.00',
      platformLocalOnlineTradeUsd: null,
      batchId: randomUUID(),
      rowIndex: 0,
    };
    const data = figures.previous
      ? { ...base, previous: { ...figures.previous.figures, name: base.name }, previousEventIndex: figures.previous.eventIndex }
      : base;
    await this.store.append(
      customsStreamId(year),
      [
        {
          eventId,
          type: figures.previous ? 'CustomsStatisticsRevised' : 'CustomsStatisticsImported',
          data,
          metadata: {
            correlationId: randomUUID(),
            causationId: null,
            commandId: randomUUID(),
            actor: actor('CUS', 'officer'),
            occurredAt: this.clock.now().toISOString(),
            policyVersion: null,
          },
        },
      ],
      { expectedVersion: 'any' },
    );
    return eventId;
  }

  /** A P2b case for 2019 carried to `ready-for-decision`. */
  async caseReadyForDecision(applicationId: string): Promise<string> {
    const corr = `case-${applicationId}`;
    const stream = caseStreamId(applicationId);
    await this.run(
      stream,
      caseDecider,
      {
        type: 'SubmitApplication',
        data: {
          applicationId,
          program: 'P2b',
          year: 2019,
          beneficiary: { uscc: USCC, kind: 'enterprise' },
          claims: { promotesOnThirdPartyPlatform: true },
          submittedBy: 'applicant-1',
        },
      },
      { ...actor('APPLICANT', 'applicant', 'applicant-1'), uscc: USCC },
      corr,
    );
    await this.run(stream, caseDecider, { type: 'AcceptCase', data: { dueDate: '2020-03-20', acceptedBy: 'fin-officer' } }, actor('FIN', 'officer'), corr);
    for (const unit of ['COM', 'CUS', 'PBC'] as const) {
      await this.run(
        stream,
        caseDecider,
        { type: 'RecordReviewOpinion', data: { unit, verdict: 'approve', comment: 'ok', author: `${unit.toLowerCase()}-officer` } },
        actor(unit, 'officer'),
        corr,
      );
    }
    return corr;
  }

  /** The approval process: reserve on the beneficiary, commit on the fund, approve on the case, confirm. */
  async approve(applicationId: string, customsEventIds: string[], amountCny = '8000.00'): Promise<void> {
    const corr = `case-${applicationId}`;
    const head = actor('FIN', 'head');
    const approvalCommand = `approve-${applicationId}`;
    const reservationId = deterministicId(approvalCommand, 'reservation');
    const commitmentId = deterministicId(approvalCommand, 'commitment');
    await this.run(
      beneficiaryStreamId(USCC),
      beneficiaryDecider,
      { type: 'ReserveAward', data: { uscc: USCC, reservationId, applicationId, program: 'P2b', year: 2019, requestedCny: amountCny } },
      head,
      corr,
      approvalCommand,
      deterministicId(approvalCommand, 'reserve'),
    );
    await this.run(
      fundStreamId(2019),
      fundDecider,
      { type: 'CommitFunds', data: { year: 2019, commitmentId, applicationId, amountCny } },
      head,
      corr,
      approvalCommand,
      deterministicId(approvalCommand, 'commit'),
    );
    await this.run(
      caseStreamId(applicationId),
      caseDecider,
      {
        type: 'ApproveAward',
        data: {
          amountCny,
          computedCny: amountCny,
          approvableCny: amountCny,
          trace: [
            { step: 'cross-border e-commerce trade 2019 (customs)', value: 'USD 900000.00', source: `customs ${customsEventIds[1] ?? ''}` },
            { step: 'increment = USD 900000.00 - USD 500000.00', value: 'USD 400000.00' },
            { step: '4 x CNY 2000.00', value: `CNY ${amountCny}`, source: 'policy LZB-2019-4 p2b.awardPerStepCny' },
          ],
          policyVersion: 'LZB-2019-4',
          customsEventIds,
          reservationId,
          commitmentId,
          approvedBy: 'fin-head',
        },
      },
      head,
      corr,
      approvalCommand,
      approvalCommand,
    );
    await this.run(
      beneficiaryStreamId(USCC),
      beneficiaryDecider,
      { type: 'ConfirmReservation', data: { uscc: USCC, reservationId } },
      head,
      corr,
      approvalCommand,
      deterministicId(approvalCommand, 'confirm'),
    );
  }

  async allocate(amountCny = '1000000.00'): Promise<void> {
    await this.run(fundStreamId(2019), fundDecider, { type: 'AllocateFundBudget', data: { year: 2019, amountCny } }, actor('FIN', 'head'), 'budget-2019');
  }
}

/** A log with one approved P2b case (customs 2018 and 2019 imported first), and the customs ids used. */
export async function seedApprovedCase(driver: CaseDriver, applicationId = 'a-0001'): Promise<{ customs2018: string; customs2019: string }> {
  const customs2018 = await driver.importCustoms(2018, { cbecImportUsd: '100000.00', cbecExportUsd: '400000.00' });
  const customs2019 = await driver.importCustoms(2019, { cbecImportUsd: '300000.00', cbecExportUsd: '600000.00' });
  await driver.allocate();
  await driver.caseReadyForDecision(applicationId);
  await driver.approve(applicationId, [customs2018, customs2019]);
  return { customs2018, customs2019 };
}

/**
 * Inside a contract suite's `describe`: a signing key of its own (its folder removed after the suite) and
 * `handle()`, which opens a log with `open` and closes every handle opened in a test after it.
 */
export function contractFixture<L extends { close(): Promise<unknown> | unknown }>(open: () => Promise<L> | L): { key: SigningKey; handle: () => Promise<L> } {
  const keyDir = tempDataDir();
  const key = SigningKey.loadOrCreate(auditFiles(keyDir));
  afterAll(() => rmSync(keyDir, { recursive: true, force: true }));
  let logs: L[] = [];
  beforeEach(() => {
    logs = [];
  });
  afterEach(async () => {
    for (const log of logs) await log.close();
  });
  const handle = async (): Promise<L> => {
    const log = await open();
    logs.push(log);
    return log;
  };
  return { key, handle };
}
