import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { usccCheckCharacter } from '@cbec/domain';
import { EventStore, RecordedEvent } from '@cbec/event-store';
import { waitForProjections } from '@cbec/projections';
import { CLOCK, Clock, EVENT_STORE, loadOrCreateJwtSecret, mintToken } from '@cbec/platform';
import { AppModule } from '../../../apps/workflow-api/src/app.module';
import { configureApp, createHttpAdapter, initApp, NEST_APP_OPTIONS } from '../../../apps/workflow-api/src/configure-app';
import { rateLimitsFromEnv } from '../../../apps/workflow-api/src/rate-limits';
import { engineEnv } from './e2e-engine';

/** A clock the test moves explicitly. */
export class TestClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

export interface E2eApp {
  app: NestFastifyApplication;
  dataDir: string;
  clock: TestClock;
  store: EventStore;
  /** A Bearer header for the identity (signed with this instance's secret). */
  auth(unit: string, role: string, uscc?: string, user?: string): { Authorization: string };
  http(): ReturnType<typeof request>;
  /** Until the read side has seen `position` (a command's answer). */
  caughtUp(position: number): Promise<void>;
  events(streamId: string): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/**
 * The whole app in-process (Test.createTestingModule) on the server's Fastify adapter, a real SQLite store in a temp dir (its
 * log on PostgreSQL in the project `e2e-pg`: support/e2e-engine.ts), the clock overridden. The process manager's timer is off (CBEC_PROCESS_TICK_MS=0): tests tick it themselves.
 * The app sees the process environment without KAFKA_BROKERS (CI exports it for the messaging tests):
 * it starts a Kafka relay only when the test passes `env: { KAFKA_BROKERS: ... }`.
 */
export async function startApp(options: { now?: string; dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<E2eApp> {
  process.env.CBEC_PROCESS_TICK_MS = '0';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cbec-e2e-'));
  const clock = new TestClock(new Date(options.now ?? '2020-03-02T02:00:00.000Z'));
  const { KAFKA_BROKERS: _notAsked, ...inherited } = process.env;
  const env = { ...inherited, ...(await engineEnv(dataDir)), ...options.env };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot({ dataDir, env })] })
    .overrideProvider(CLOCK)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { ...NEST_APP_OPTIONS, logger: ['error'] });
  await initApp(configureApp(app, { rateLimits: rateLimitsFromEnv(env) }));
  const secret = loadOrCreateJwtSecret(dataDir);
  const store = app.get<EventStore>(EVENT_STORE);
  return {
    app,
    dataDir,
    clock,
    store,
    auth: (unit, role, uscc, user) => ({
      Authorization: `Bearer ${mintToken(secret, { sub: user ?? `${unit.toLowerCase()}-${role}`, unit, role, ...(uscc ? { uscc } : {}) })}`,
    }),
    http: () => request(app.getHttpServer()),
    caughtUp: (position) => waitForProjections(app, position),
    async events(streamId) {
      const out: RecordedEvent[] = [];
      for await (const e of store.readStream(streamId)) out.push(e);
      return out;
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid USCC of Lu'an (division 341502) numbered `n`, with its GB 32100-2015 check character. */
export function luanUscc(n: number): string {
  const first17 = `91341502MA${String(n).padStart(7, '0')}`;
  return first17 + usccCheckCharacter(first17);
}

export const CSV_HEADER = 'year,uscc,name,export_9610_usd,cbec_import_usd,cbec_export_usd,total_export_usd,platform_local_online_trade_usd';

export function csv(...rows: string[]): string {
  return [CSV_HEADER, ...rows].join('\n') + '\n';
}
