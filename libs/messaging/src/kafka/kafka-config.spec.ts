import { DEFAULT_TOPIC, relayConfigFromEnv, RelayConfigError } from './kafka-config';

describe('the relay configuration from the environment', () => {
  it('defaults the topic, client id, partitions and data folder when only the brokers are given', () => {
    expect(relayConfigFromEnv({ KAFKA_BROKERS: '127.0.0.1:19092, kafka-2:9092' })).toMatchObject({
      brokers: ['127.0.0.1:19092', 'kafka-2:9092'],
      topic: DEFAULT_TOPIC,
      clientId: 'cbec-relay',
      ssl: false,
      partitions: 6,
      createTopic: true,
      dataDir: './data',
    });
  });

  it('takes SASL and TLS options', () => {
    const c = relayConfigFromEnv({
      KAFKA_BROKERS: 'b:9093',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'relay',
      KAFKA_SASL_PASSWORD: 'pw',
      KAFKA_TOPIC: 'city.events',
      KAFKA_CREATE_TOPIC: 'false',
    });
    expect(c).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'relay', password: 'pw' }, topic: 'city.events', createTopic: false });
  });

  it.each([
    [{}, /KAFKA_BROKERS is not set/],
    [{ KAFKA_BROKERS: 'localhost' }, /"localhost" is not host:port/],
    [{ KAFKA_BROKERS: 'b:1', KAFKA_SASL_MECHANISM: 'kerberos' }, /KAFKA_SASL_MECHANISM="kerberos" must be one of plain, scram-sha-256, scram-sha-512/],
    [{ KAFKA_BROKERS: 'b:1', KAFKA_SASL_MECHANISM: 'plain' }, /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/],
    [{ KAFKA_BROKERS: 'b:1', KAFKA_SSL: 'yes' }, /KAFKA_SSL="yes" must be true or false/],
    [{ KAFKA_BROKERS: 'b:1', KAFKA_TOPIC_PARTITIONS: '0' }, /KAFKA_TOPIC_PARTITIONS="0" must be a positive integer/],
  ])('refuses %j, naming what is wrong', (env, message) => {
    expect(() => relayConfigFromEnv(env)).toThrow(RelayConfigError);
    expect(() => relayConfigFromEnv(env)).toThrow(message);
  });
});
