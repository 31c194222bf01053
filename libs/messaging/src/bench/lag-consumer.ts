import { Kafka, logLevel } from 'kafkajs';

/**
 * The receiving end of `bench:relay`'s lag measurement, in a process of its own (as a reporting
 * consumer would be), so the writer's synchronous SQLite commits do not delay its receipts. Sends
 * `{ ready }` once it has joined, then `[eventId, epochMs]` pairs per batch to the parent over IPC.
 */
async function main(): Promise<void> {
  const [brokers, topic, groupId] = process.argv.slice(2);
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'bench-lag-consumer', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  consumer.on(consumer.events.GROUP_JOIN, () => process.send!({ ready: true }));
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.timeOrigin + performance.now();
      process.send!({ receipts: batch.messages.map((m) => [String(m.headers?.['event-id']), now]) });
    },
  });
  process.on('message', (m: { stop?: boolean }) => {
    if (m.stop) void consumer.disconnect().then(() => process.exit(0));
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
