import { openSqliteEventStore } from '@cbec/event-store';
import { Relay, relayConfigFromEnv } from '../index';

/**
 * A relay in a process of its own, for the crash tests: CHILD_STORE_DIR holds the SQLite store, the
 * relay config comes from the environment (KAFKA_BROKERS, KAFKA_TOPIC, CBEC_DATA_DIR). Prints one JSON
 * status line per second so the parent can watch its checkpoint.
 */
async function main(): Promise<void> {
  const store = openSqliteEventStore({ directory: process.env.CHILD_STORE_DIR!, pollIntervalMs: 20 });
  const relay = new Relay(store, relayConfigFromEnv(process.env, { batchSize: Number(process.env.CHILD_BATCH ?? 50) }), {
    info: (m) => console.error(`relay(child): ${m}`),
    warn: (m) => console.error(`relay(child): ${m}`),
    error: (m) => console.error(`relay(child): ${m}`),
  });
  await relay.start();
  const timer = setInterval(() => console.log(JSON.stringify(relay.status())), 200);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void relay
      .stop()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
