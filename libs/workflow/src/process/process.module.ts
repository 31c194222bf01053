import { Controller, Get, Inject, Injectable, Module, OnApplicationBootstrap, OnModuleDestroy, Param, Provider, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { join } from 'node:path';
import { type Actor, type EventStore, SqliteEventStore } from '@cbec/event-store';
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
  EVENT_STORE,
  FOLLOWS_LOG,
} from '@cbec/platform';
import { CalendarModule, WorkingDayCalendar } from '../calendar';
// The deadline service belongs to the calendar; the process module's users import it from here too.
export { DeadlineService } from '../calendar';
import { AggregateDispatcher, ApprovalResumer } from './process-dispatcher';
import { ProcessManager } from './process-manager';
import { ProcessStateStore } from './process-state.store';
import { DEFAULT_APPROVAL_GRACE_MS } from './react';

/**
 * Nest wiring of the approval process: the calendar, `<CBEC_DATA_DIR>/process.db`, the manager (started
 * on bootstrap, stopped before the store closes) and `GET /applications/{id}/deadlines`.
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
  constructor(
    private readonly manager: ProcessManager,
    private readonly state: ProcessStateStore,
  ) {}

  onApplicationBootstrap(): void {
    this.manager.start();
  }

  // Before the app's shutdown hooks close the event store.
  async onModuleDestroy(): Promise<void> {
    await this.manager.stop();
    this.state.close();
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
    const c = this.state.getCase(id);
    if (!c) throw new NotFound(`application ${id} is not known to the approval process (yet)`);
    if (!canReadCase(actor, { leadUnit: c.leadUnit, cooperatingUnits: c.cooperatingUnits, beneficiaryUscc: c.beneficiaryUscc })) {
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
      processedUpTo: this.state.checkpoint(),
    };
  }
}

function providers(): Provider[] {
  return [
    { provide: PROCESS_OPTIONS, useFactory: () => processOptionsFromEnv() },
    {
      provide: ProcessStateStore,
      inject: [DATA_DIR],
      useFactory: (dataDir: string) => new ProcessStateStore(join(dataDir, 'process.db')),
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
          trackerThread: events instanceof SqliteEventStore ? { eventsFile: events.file, processFile: state.file } : undefined,
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
