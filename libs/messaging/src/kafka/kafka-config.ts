import type { KafkaConfig, SASLOptions } from 'kafkajs';

export const DEFAULT_TOPIC = 'cbec.integration-events.v1';

export interface RelayConfig {
  brokers: string[];
  topic: string;
  clientId: string;
  ssl: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Partitions of the topic when the relay creates it. */
  partitions: number;
  replicationFactor: number;
  /** Create the topic at start when it does not exist (needs the right to). */
  createTopic: boolean;
  /** Folder of the checkpoint file (`relay-checkpoint.db`). */
  dataDir: string;
  /** DATABASE_URL: the checkpoint is kept in PostgreSQL instead (shared by the servers that take turns relaying). */
  databaseUrl?: string;
  /** Most messages per produce request. */
  batchSize: number;
  /** Events held in memory before the subscription waits for the broker. */
  maxBuffered: number;
}

export class RelayConfigError extends Error {
  readonly code = 'relay-config';
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new RelayConfigError(`${name}="${raw}" must be a positive integer`);
  return n;
}

/**
 * Reads the relay's configuration from the environment: KAFKA_BROKERS (comma-separated host:port,
 * required), KAFKA_TOPIC, KAFKA_CLIENT_ID, KAFKA_SSL=true, KAFKA_SASL_MECHANISM/USERNAME/PASSWORD,
 * KAFKA_TOPIC_PARTITIONS, KAFKA_TOPIC_REPLICATION, KAFKA_CREATE_TOPIC=false, CBEC_DATA_DIR.
 */
export function relayConfigFromEnv(env: NodeJS.ProcessEnv = process.env, overrides: Partial<RelayConfig> = {}): RelayConfig {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 && !overrides.brokers) {
    throw new RelayConfigError('KAFKA_BROKERS is not set: give the broker addresses as host:port,host:port');
  }
  for (const b of overrides.brokers ?? brokers) {
    if (!/^[^\s:]+:[0-9]{1,5}$/.test(b)) throw new RelayConfigError(`KAFKA_BROKERS: "${b}" is not host:port`);
  }
  let sasl: RelayConfig['sasl'];
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new RelayConfigError(`KAFKA_SASL_MECHANISM="${mechanism}" must be one of ${SASL_MECHANISMS.join(', ')}`);
    }
    if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
      throw new RelayConfigError('KAFKA_SASL_MECHANISM is set: KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required too');
    }
    sasl = { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  }
  const ssl = env.KAFKA_SSL === undefined || env.KAFKA_SSL === '' ? false : env.KAFKA_SSL === 'true';
  if (env.KAFKA_SSL && !['true', 'false'].includes(env.KAFKA_SSL)) {
    throw new RelayConfigError(`KAFKA_SSL="${env.KAFKA_SSL}" must be true or false`);
  }
  return {
    brokers,
    topic: env.KAFKA_TOPIC || DEFAULT_TOPIC,
    clientId: env.KAFKA_CLIENT_ID || 'cbec-relay',
    ssl,
    sasl,
    partitions: positiveInt(env, 'KAFKA_TOPIC_PARTITIONS', 6),
    replicationFactor: positiveInt(env, 'KAFKA_TOPIC_REPLICATION', 1),
    createTopic: env.KAFKA_CREATE_TOPIC !== 'false',
    dataDir: env.CBEC_DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    batchSize: positiveInt(env, 'KAFKA_RELAY_BATCH', 500),
    maxBuffered: positiveInt(env, 'KAFKA_RELAY_BUFFER', 5_000),
    ...overrides,
  };
}

/** kafkajs client options shared by the relay, the consumer and the benchmarks. */
export function kafkaClientOptions(c: Pick<RelayConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>): KafkaConfig {
  return {
    brokers: c.brokers,
    clientId: c.clientId,
    ssl: c.ssl,
    ...(c.sasl ? { sasl: c.sasl as SASLOptions } : {}),
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 },
  };
}
