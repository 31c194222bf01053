import { noRelayLine } from '@cbec/messaging';
import { prepareWorkerEnv, workerCountFromEnv, WORKER_SLOT_ENV, WorkersSettingError } from './cluster';

describe('CBEC_WORKERS', () => {
  it('defaults to one worker (no cluster) when unset or empty', () => {
    expect(workerCountFromEnv({}, 8)).toBe(1);
    expect(workerCountFromEnv({ CBEC_WORKERS: ' ' }, 8)).toBe(1);
  });

  it('takes a positive integer as the worker count', () => {
    expect(workerCountFromEnv({ CBEC_WORKERS: '1' }, 8)).toBe(1);
    expect(workerCountFromEnv({ CBEC_WORKERS: ' 3 ' }, 8)).toBe(3);
  });

  it('reads auto as the number of CPUs', () => {
    expect(workerCountFromEnv({ CBEC_WORKERS: 'auto' }, 2)).toBe(2);
    expect(workerCountFromEnv({ CBEC_WORKERS: 'AUTO' }, 6)).toBe(6);
  });

  it.each(['0', '-2', '1.5', 'two', '2x', '1e3'])('refuses %p, naming the variable and the value', (value) => {
    expect(() => workerCountFromEnv({ CBEC_WORKERS: value }, 2)).toThrow(WorkersSettingError);
    expect(() => workerCountFromEnv({ CBEC_WORKERS: value }, 2)).toThrow(`CBEC_WORKERS must be an integer >= 1 or "auto", got ${JSON.stringify(value)}`);
  });
});

describe("a worker's duties", () => {
  it('keeps the Kafka relay in worker 1 only', () => {
    const first: NodeJS.ProcessEnv = { [WORKER_SLOT_ENV]: '1', KAFKA_BROKERS: '127.0.0.1:9092' };
    const second: NodeJS.ProcessEnv = { [WORKER_SLOT_ENV]: '2', KAFKA_BROKERS: '127.0.0.1:9092' };
    expect(prepareWorkerEnv(first)).toEqual({ slot: 1, relay: true });
    expect(first.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(prepareWorkerEnv(second)).toEqual({ slot: 2, relay: false });
    expect(second.KAFKA_BROKERS).toBeUndefined();
  });

  it('has the other workers say where the relay runs, and a server without KAFKA_BROKERS say Kafka is off', () => {
    const second: NodeJS.ProcessEnv = { [WORKER_SLOT_ENV]: '2', KAFKA_BROKERS: '127.0.0.1:9092' };
    prepareWorkerEnv(second);
    expect(noRelayLine(second)).toBe('the Kafka relay runs in worker 1 of this cluster (one relay per data dir); this worker serves the SSE feed');
    const withoutKafka: NodeJS.ProcessEnv = { [WORKER_SLOT_ENV]: '2' };
    prepareWorkerEnv(withoutKafka);
    expect(noRelayLine(withoutKafka)).toBe('KAFKA_BROKERS is not set: integration events are served by the SSE feed only');
  });
});
