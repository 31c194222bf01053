import { Controller, Get, Inject, Injectable, Logger, Module, Optional, OnApplicationBootstrap, OnModuleDestroy, Param, Provider, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { join } from 'node:path';
import { type Actor, type EventStore, type PostgresLease, SqliteEventStore } from '@cbec/event-store';
import { ApprovalProcess } from '../approve-award/approval.process';
import {
  CurrentActor,
  canReadCase,
  AggregateStore,
  ApiDoes,
  ApiProblems,
  AUTH_PROBLEMS,
  Forbidden,
  NotFound,
  WorkflowError,
  assertWithinHead,
  READ_WAIT_MS,
  ReadPositionRequest,
  CLOCK,
  Clock,
  DATA_DIR,
  DATABASE_URL,
  EVENT_STORE,
  FOLLOWS_LOG,
} from '@cbec/platform';
import { CalendarModule, WorkingDayCalendar } from '../calendar';
// The deadline service belongs to the calendar; the process module's users import it from here too.
export { DeadlineService } from '../calendar';
import { AggregateDispatcher, ApprovalResumer } from './process-dispatcher';
import { leaseProcess } from './process-lease';
import { ProcessManager } from './process-manager';
import { PostgresProcessStateStore } from './postgres-process-state.store';
import { ProcessStateStore, SqliteProcessStateStore } from './process-state.store';
import { DEFAULT_APPROVAL_GRACE_MS } from './react';

/**
 * Nest wiring of the approval process: the calendar, its state store (`<CBEC_DATA_DIR>/process.db`, or
 * PostgreSQL with DATABASE_URL), the manager (started on bootstrap, stopped before the store closes) and
 * `GET /applications/{id}/deadlines`. With DATABASE_URL the manager (tracker, timer, outbox) runs in the one
 * server holding the `approval-process` lease; when it dies another takes over within seconds, from the
 * checkpoint in the database.
 *
 * Environment (read once at start):
 * - `CBEC_PROCESS_TICK_MS`: timer interval (default 1000; 0 = no timer),
 * - `CBEC_APPROVAL_GRACE_MS`: age after which an unsettled reservation is repaired (default 60000),
 * - `CBEC_CALENDAR_FILE`: a calendar merged over the built-in one (see calendar-loader.ts).
 */

export const PROCESS_OPTIONS = 'PROCESS_OPTIONS';

export interface ProcessModuleOptions {
  tickIntervalMs: number;
  approvalGraceMs: number;
}

export function processOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ProcessModuleOptions {
  return {
    tickIntervalMs: nonNegativeInt(env.CBEC_PROCESS_TICK_MS, 'CBEC_PROCESS_TICK_MS', 1000),
    approvalGraceMs: nonNegativeInt(env.CBEC_APPROVAL_GRACE_MS, 'CBEC_APPROVAL_GRACE_MS', DEFAULT_APPROVAL_GRACE_MS),
  };
}

function nonNegativeInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (ms), got ${JSON.stringify(value)}`);
  return n;
}

@Injectable()
class ProcessLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private lease?: PostgresLease;

  constructor(
    private readonly manager: ProcessManager,
    private readonly state: ProcessStateStore,
    @Optional() @Inject(DATABASE_URL) private readonly databaseUrl: string | null = null,
    @Optional() @Inject(FOLLOWS_LOG) private readonly followsLog: boolean = true,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.databaseUrl) {
      this.manager.start();
      return;
    }
    // Servers sharing one database: one runs the process at a time (one tracker folding the log, one timer
    // deciding); the others read the state it commits. A cluster worker that does not follow the log never runs it.
    if (this.followsLog === false) return;
    this.lease = leaseProcess(this.manager, this.databaseUrl, new Logger('ApprovalProcess'));
  }

  // Before the app's shutdown hooks close the event store.
  async onModuleDestroy(): Promise<void> {
    if (this.lease) await this.lease.stop();
    await this.manager.stop();
    await this.state.close();
  }
}

/** The approval process has not folded the awaited position in time: retry later. */
export class ProcessLagging extends WorkflowError {
  readonly code = 'process-lagging';
  readonly httpStatus = 503;
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class DeadlinesController {
  constructor(
    private readonly state: ProcessStateStore,
    private readonly manager: ProcessManager,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':id/deadlines')
  @ApiDoes("The current countersign round's due dates (working days), overdue reviews, who acts next, and calendar notes (calendar-missing:<year>)", {
    callers: 'the parties to the case (its lead and cooperating units, COM, FIN, its own APPLICANT) and AUDIT',
  })
  @ApiOkResponse({ description: "the approval process's view of the case: status, awaiting, round, acceptance day, reviews and their due dates" })
  @ApiProblems({
    400: 'bad parameter (minPosition)',
    ...AUTH_PROBLEMS,
    403: 'the caller is not a party to the case',
    404: 'the approval process does not know the application (yet)',
    503: 'the approval process did not reach minPosition in time',
  })
  async deadlines(@Param('id') id: string, @Query() query: ReadPositionRequest, @CurrentActor() actor: Actor): Promise<Record<string, unknown>> {
    // Read your writes, as every read: the process state folds the log apart from the request (it commits
    // every 50 ms at most under load), so a caller that just wrote names the position it needs.
    if (query.minPosition !== undefined && query.minPosition > 0) {
      await assertWithinHead(this.store, query.minPosition);
      try {
        await this.manager.caughtUp(query.minPosition, READ_WAIT_MS);
      } catch (error) {
        throw new ProcessLagging((error as Error).message);
      }
    }
    const c = await this.state.getCase(id);
    if (!c) throw new NotFound(`application ${id} is not known to the approval process (yet)`);
    if (!canReadCase(actor, { leadUnit: c.leadUnit, cooperatingUnits: c.cooperatingUnits, beneficiaryUscc: c.beneficiaryUscc })) {
      // An applicant learns nothing of another enterprise's case, not even that it exists (docs/api.md).
      if (actor.unit === 'APPLICANT') throw new NotFound(`application ${id} is not known to the approval process (yet)`);
      throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" is not a party to application ${id}`);
    }
    return {
      applicationId: c.applicationId,
      status: c.status,
      awaiting: c.awaiting,
      round: c.round,
      acceptedOn: c.acceptedOn,
      reviews: c.reviews,
      calendarNotes: c.calendarNotes,
      processedUpTo: await this.state.checkpoint(),
    };
  }
}

function providers(): Provider[] {
  return [
    { provide: PROCESS_OPTIONS, useFactory: () => processOptionsFromEnv() },
    {
      provide: ProcessStateStore,
      inject: [DATA_DIR, { token: DATABASE_URL, optional: true }],
      useFactory: (dataDir: string, databaseUrl: string | null | undefined): ProcessStateStore =>
        databaseUrl ? new PostgresProcessStateStore(databaseUrl) : new SqliteProcessStateStore(join(dataDir, 'process.db')),
    },
    {
      provide: ProcessManager,
      inject: [EVENT_STORE, ProcessStateStore, WorkingDayCalendar, CLOCK, AggregateStore, ModuleRef, PROCESS_OPTIONS, { token: FOLLOWS_LOG, optional: true }],
      useFactory: (
        events: EventStore,
        state: ProcessStateStore,
        calendar: WorkingDayCalendar,
        // The app's one clock (apps/workflow-api moves it for tests with CBEC_FIXED_NOW / CBEC_CLOCK_OFFSET_MS).
        clock: Clock,
        aggregates: AggregateStore,
        moduleRef: ModuleRef,
        opts: ProcessModuleOptions,
        followsLog: boolean | undefined,
      ) => {
        const approvals: ApprovalResumer = {
          resumeApproval: (reservation, ctx) => {
            // Looked up when needed, so the order in which the app imports the modules does not matter.
            let resumer: ApprovalResumer;
            try {
              resumer = moduleRef.get(ApprovalProcess, { strict: false });
            } catch {
              throw new Error("the workflow's ApprovalProcess is not registered in this application");
            }
            return resumer.resumeApproval(reservation, ctx);
          },
        };
        return new ProcessManager({
          events,
          state,
          calendar,
          clock,
          dispatcher: new AggregateDispatcher(aggregates, clock, approvals),
          tickIntervalMs: opts.tickIntervalMs,
          approvalGraceMs: opts.approvalGraceMs,
          // A SQLite log can be opened again from another thread: the tracker follows it there (ADR 0006).
          trackerThread:
            events instanceof SqliteEventStore && state instanceof SqliteProcessStateStore ? { eventsFile: events.file, processFile: state.file } : undefined,
          followsLog,
        });
      },
    },
    ProcessLifecycle,
  ];
}

const EXPORTS = [ProcessManager, ProcessStateStore, CalendarModule];

/**
 * Imported by the workflow app; options from the environment (see above). Needs the global providers of
 * WorkflowCoreModule: 'EVENT_STORE', 'CLOCK', 'POLICY', 'DATA_DIR', AggregateStore.
 */
@Module({ imports: [CalendarModule], controllers: [DeadlinesController], providers: providers(), exports: EXPORTS })
export class ProcessModule {}
