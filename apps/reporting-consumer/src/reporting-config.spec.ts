import { reportingConfigFromEnv } from './reporting-config';

describe('the reporting consumer configuration', () => {
  it('reads Kafka when KAFKA_BROKERS is set, with its own group and database in the data folder', () => {
    expect(reportingConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:19092', CBEC_DATA_DIR: '/var/cbec' })).toEqual({
      dbFile: '/var/cbec/reporting.db',
      dataDir: '/var/cbec',
      port: 3100,
      host: '127.0.0.1',
      source: {
        kind: 'kafka',
        kafka: {
          brokers: ['127.0.0.1:19092'],
          clientId: 'cbec-reporting',
          ssl: false,
          sasl: undefined,
          topic: 'cbec.integration-events.v1',
          groupId: 'cbec-reporting',
        },
      },
    });
  });

  it('reads the SSE feed without Kafka, given a token', () => {
    expect(reportingConfigFromEnv({ REPORTING_TOKEN: 't', REPORTING_DB: '/tmp/r.db' }).source).toEqual({
      kind: 'sse',
      sse: { feedUrl: 'http://127.0.0.1:3000/api/v1/events/stream', token: 't' },
    });
  });

  it("checks tokens where the servers do: DATABASE_URL's revocation list and CBEC_JWT_SECRET_FILE's secret, when set", () => {
    const env = { REPORTING_TOKEN: 't', DATABASE_URL: ' postgres://cbec@db:5432/cbec ', CBEC_JWT_SECRET_FILE: '/secrets/jwt-secret' };
    expect(reportingConfigFromEnv(env)).toMatchObject({ databaseUrl: 'postgres://cbec@db:5432/cbec', jwtSecretFile: '/secrets/jwt-secret' });
    const alone = reportingConfigFromEnv({ REPORTING_TOKEN: 't', DATABASE_URL: ' ', CBEC_DATA_DIR: '/var/cbec' });
    expect([alone.databaseUrl, alone.jwtSecretFile, alone.dataDir]).toEqual([undefined, undefined, '/var/cbec']);
  });

  it.each([
    [{}, /REPORTING_SOURCE=sse needs REPORTING_TOKEN/],
    [{ REPORTING_SOURCE: 'rabbit' }, /REPORTING_SOURCE="rabbit" must be kafka or sse/],
    [{ REPORTING_SOURCE: 'kafka' }, /KAFKA_BROKERS is not set/],
    [{ REPORTING_TOKEN: 't', REPORTING_PORT: 'http' }, /REPORTING_PORT="http" is not a port/],
  ])('refuses %j, saying what is missing or wrong', (env, message) => {
    expect(() => reportingConfigFromEnv(env)).toThrow(message);
  });
});
