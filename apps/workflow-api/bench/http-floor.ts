/**
 * The floor under `bench:api`'s submissions, spawned by it: Fastify alone (the server's HTTP framework)
 * taking the same POST body with its own JSON parser and appending the same ApplicationSubmitted event to
 * a store opened as the server opens its own (`openEventStore`: SQLite, writer thread, the same
 * CBEC_SQLITE_SYNCHRONOUS) — and nothing else: no Nest, no authentication, no validation, no domain
 * decision, no idempotency, no read side or process. What a submission to the service costs above this is
 * the service's own; what this costs above the bare append is HTTP on loopback and the writer thread's hop.
 *
 *   PORT=3999 CBEC_DATA_DIR=/tmp/floor node dist/apps/workflow-api/bench/http-floor.js
 */
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import { dataDirFromEnv } from '@cbec/platform';
import { openEventStore } from '../src/event-store.factory';
import { submittedEvent } from './submission';

async function main(): Promise<void> {
  const store = openEventStore(dataDirFromEnv(), process.env);
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  app.post('/api/v1/applications', async (request, reply) => {
    const applicationId = randomUUID();
    const appended = await store.append(`application-${applicationId}`, [submittedEvent(applicationId, request.body as Record<string, unknown>)], {
      expectedVersion: 'no-stream',
    });
    return reply.code(201).send({ applicationId, version: appended.nextExpectedVersion, position: appended.lastGlobalPosition });
  });
  const stop = (): void => {
    void app
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen({ port: Number(process.env.PORT ?? 3999), host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
