import { join } from 'node:path';
import { DEFAULT_TOPIC, relayConfigFromEnv, RelayConfigError } from '@cbec/messaging';
import type { KafkaSourceConfig } from './sources/kafka-report-source';
import type { SseSourceConfig } from './sources/sse-report-source';

export interface ReportingConfig {
  dbFile: string;
  /**
   * CBEC_DATA_DIR: its jwt-secret and revocation list verify the readers' tokens, as the workflow server does,
   * unless the two below name the servers' shared ones.
   */
  dataDir: string;
  /** DATABASE_URL: the servers' revocation list in PostgreSQL (what `cli token revoke` writes there). */
  databaseUrl?: string;
  /** CBEC_JWT_SECRET_FILE: the servers' shared token secret. */
  jwtSecretFile?: string;
  port: number;
  host: string;
  source: { kind: 'kafka'; kafka: KafkaSourceConfig } | { kind: 'sse'; sse: SseSourceConfig };
}

/**
 * REPORTING_SOURCE=kafka|sse (default: kafka when KAFKA_BROKERS is set, else sse), REPORTING_DB
 * (default <CBEC_DATA_DIR>/reporting.db; CBEC_DATA_DIR, default ./data, also holds the jwt-secret that verifies readers), REPORTING_PORT (3100), REPORTING_HOST (127.0.0.1),
 * REPORTING_GROUP_ID (cbec-reporting), KAFKA_* as for the relay, REPORTING_FEED_URL and REPORTING_TOKEN;
 * DATABASE_URL and CBEC_JWT_SECRET_FILE as for the workflow servers (where the readers' tokens are checked).
 */
export function reportingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const kind = env.REPORTING_SOURCE || (env.KAFKA_BROKERS ? 'kafka' : 'sse');
  if (kind !== 'kafka' && kind !== 'sse') throw new RelayConfigError(`REPORTING_SOURCE="${kind}" must be kafka or sse`);
  const port = Number(env.REPORTING_PORT ?? 3100);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RelayConfigError(`REPORTING_PORT="${env.REPORTING_PORT}" is not a port`);
  const dataDir = env.CBEC_DATA_DIR || './data';
  const dbFile = env.REPORTING_DB || join(dataDir, 'reporting.db');
  const host = env.REPORTING_HOST || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const jwtSecretFile = env.CBEC_JWT_SECRET_FILE?.trim() || undefined;
  if (kind === 'kafka') {
    const k = relayConfigFromEnv(env);
    return {
      dbFile,
      dataDir,
      databaseUrl,
      jwtSecretFile,
      port,
      host,
      source: {
        kind,
        kafka: {
          brokers: k.brokers,
          clientId: env.KAFKA_CLIENT_ID || 'cbec-reporting',
          ssl: k.ssl,
          sasl: k.sasl,
          topic: env.KAFKA_TOPIC || DEFAULT_TOPIC,
          groupId: env.REPORTING_GROUP_ID || 'cbec-reporting',
        },
      },
    };
  }
  if (!env.REPORTING_TOKEN) {
    throw new RelayConfigError('REPORTING_SOURCE=sse needs REPORTING_TOKEN: a department or AUDIT token (npm run --silent cli -- token ...)');
  }
  return {
    dbFile,
    dataDir,
    databaseUrl,
    jwtSecretFile,
    port,
    host,
    source: {
      kind,
      sse: { feedUrl: env.REPORTING_FEED_URL || 'http://127.0.0.1:3000/api/v1/events/stream', token: env.REPORTING_TOKEN },
    },
  };
}
