import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReportAuth } from './http/report-auth';
import { createReportServer } from './http/report-server';
import type { ReportingConfig } from './reporting-config';
import { ReportingDb } from './reports/reporting-db';
import { KafkaReportSource, SourceLogger } from './sources/kafka-report-source';
import { SseReportSource } from './sources/sse-report-source';

export const consoleSourceLogger: SourceLogger = {
  info: (m) => console.log(`reporting: ${m}`),
  warn: (m) => console.warn(`reporting: ${m}`),
  error: (m) => console.error(`reporting: ${m}`),
};

/** The reporting consumer: one source (Kafka or the SSE feed) -> its SQLite tables -> JSON/CSV over HTTP. */
export class ReportingConsumer {
  readonly db: ReportingDb;
  readonly source: KafkaReportSource | SseReportSource;
  private server?: Server;
  private auth?: ReportAuth;

  /** Where the readers' tokens are checked (set once started). */
  get tokens(): { secret: string; revocations: string } | undefined {
    return this.auth?.places;
  }

  constructor(
    private readonly config: ReportingConfig,
    logger: SourceLogger = consoleSourceLogger,
  ) {
    this.db = new ReportingDb(config.dbFile);
    this.source =
      config.source.kind === 'kafka' ? new KafkaReportSource(this.db, config.source.kafka, logger) : new SseReportSource(this.db, config.source.sse, logger);
  }

  /** Starts the source and the HTTP server; resolves with the port it listens on. */
  async start(): Promise<number> {
    // Where tokens are checked first: a consumer that cannot read the revocation list does not start.
    const auth = new ReportAuth({ dataDir: this.config.dataDir, databaseUrl: this.config.databaseUrl, jwtSecretFile: this.config.jwtSecretFile });
    try {
      await auth.ready();
    } catch (e) {
      await auth.close().catch(() => undefined);
      throw new Error(`the revocation list (${auth.places.revocations}) cannot be read: ${(e as Error).message}`, { cause: e });
    }
    this.auth = auth;
    await this.source.start();
    this.server = createReportServer(this.db, () => ({ ...this.source.status(), processedEvents: this.db.processedCount() }), this.auth);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.config.port, this.config.host, resolve);
    });
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.source.stop();
    await this.auth?.close();
    this.db.close();
  }
}
