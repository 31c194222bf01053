import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseDecider, caseStreamId, CaseCommand } from '@cbec/domain';
import { EventStore, openSqliteEventStore, RecordedEvent } from '@cbec/event-store';
import { EVENT_STORE, AggregateStore, deterministicId } from '@cbec/platform';
import { WorkflowCoreModule } from '../shared/workflow-core.module';
import { DeadlineService, ProcessModule, processOptionsFromEnv } from './process.module';
import { ProcessManager } from './process-manager';
import { ProcessStateStore } from './process-state.store';

const USCC = '91341500MA2010017C';
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('ProcessModule in a Nest application (SQLite store in a temp data dir)', () => {
  let dir: string;
  let app: INestApplicationContext;
  const clock = {
    current: new Date('2019-09-27T03:00:00Z'),
    now() {
      return new Date(this.current);
    },
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-pm-nest-'));
    process.env.CBEC_PROCESS_TICK_MS = '0';
    const moduleRef = await Test.createTestingModule({
      imports: [
        WorkflowCoreModule.forRoot({ dataDir: dir, eventStore: (d) => openSqliteEventStore({ directory: d, pollIntervalMs: 5, logger: silent }), clock }),
        ProcessModule,
      ],
    }).compile();
    app = await moduleRef.init();
  });
  afterEach(async () => {
    await app.close();
    delete process.env.CBEC_PROCESS_TICK_MS;
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(applicationId: string, command: CaseCommand): Promise<number> {
    const ctx = {
      commandId: deterministicId('nest-test', applicationId, command.type),
      correlationId: 'corr',
      causationId: null,
      actor: { user: 'fin-1', unit: 'FIN', role: 'officer' },
      now: clock.now(),
    };
    return (await app.get(AggregateStore).execute(caseStreamId(applicationId), caseDecider, command, ctx)).position;
  }

  it('given an accepted case, when the clock passes its due date, the started manager marks the reviews overdue', async () => {
    await run('N-1', {
      type: 'SubmitApplication',
      data: { applicationId: 'N-1', program: 'P1', year: 2019, beneficiary: { uscc: USCC, kind: 'enterprise' }, claims: {}, submittedBy: 'a' },
    });
    const { dueDate, notes } = app.get(DeadlineService).reviewDueDate(clock.now());
    expect({ dueDate, notes }).toEqual({ dueDate: '2019-10-16', notes: [] });
    const accepted = await run('N-1', { type: 'AcceptCase', data: { dueDate, acceptedBy: 'fin-1' } });

    const pm = app.get(ProcessManager);
    await pm.caughtUp(accepted);
    expect(await app.get(ProcessStateStore).getCase('N-1')).toMatchObject({ status: 'under-review', awaiting: ['COM', 'CUS', 'PBC'] });

    clock.current = new Date('2019-10-17T00:00:00Z');
    await pm.tick();
    const events: RecordedEvent[] = [];
    for await (const e of app.get<EventStore>(EVENT_STORE).readStream(caseStreamId('N-1'))) events.push(e);
    expect(events.filter((e) => e.type === 'ReviewOverdue').map((e) => (e.data as { unit: string }).unit)).toEqual(['COM', 'CUS', 'PBC']);
  });
});

describe('process configuration from the environment', () => {
  it('reads the tick interval and grace period, and names a bad value', () => {
    expect(processOptionsFromEnv({})).toEqual({ tickIntervalMs: 1000, approvalGraceMs: 60000 });
    expect(processOptionsFromEnv({ CBEC_PROCESS_TICK_MS: '50', CBEC_APPROVAL_GRACE_MS: '0' })).toEqual({ tickIntervalMs: 50, approvalGraceMs: 0 });
    expect(() => processOptionsFromEnv({ CBEC_PROCESS_TICK_MS: 'soon' })).toThrow(/CBEC_PROCESS_TICK_MS must be a non-negative integer/);
  });
});
