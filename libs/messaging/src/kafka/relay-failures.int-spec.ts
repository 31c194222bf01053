import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '@cbec/event-store';
import { appendAll, caseLifecycle, caseSpec, scenario } from '../testing/case-lifecycle.fixture';
import { waitFor } from '../testing/kafka-test-kit';
import { relayConfigFromEnv } from './kafka-config';
import { Relay } from './relay';
import { isPublished } from '../mapping/to-integration-event';
import { RelayCheckpoint } from './relay-checkpoint';

/** Needs no broker: a loopback port where nothing listens stands for an unreachable one. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('the relay when something is wrong (no broker needed)', () => {
  it('says what is wrong, keeps its checkpoint, holds the events, and stops promptly when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-relay-down-'));
    const store = new InMemoryEventStore();
    await appendAll(store, scenario('down', 3));
    let published = 0;
    for await (const e of store.readAll()) if (isPublished(e.type)) published++;
    const port = await closedPort();
    const warnings: string[] = [];
    const relay = new Relay(store, relayConfigFromEnv({ KAFKA_BROKERS: `127.0.0.1:${port}` }, { dataDir: dir, topic: 'never' }), {
      info: () => undefined,
      warn: (m) => warnings.push(m),
      error: (m) => warnings.push(m),
    });
    await relay.start();
    await waitFor('a warning', () => warnings.length > 0, 20_000);
    expect(warnings[0]).toMatch(new RegExp(`cannot reach Kafka at 127\\.0\\.0\\.1:${port} \\(.+\\); retrying in 250 ms, checkpoint stays at 0`));
    await waitFor('the subscription to hold every event', () => relay.status().pending === published, 5_000);
    expect(relay.status()).toMatchObject({ state: 'retrying', checkpoint: 0, published: 0 });

    const started = Date.now();
    await relay.stop(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    const checkpoints = new RelayCheckpoint(join(dir, 'relay-checkpoint.db'));
    expect(await checkpoints.get('kafka:never')).toBe(0);
    await checkpoints.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('stops visibly on an event it cannot map, never skipping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cbec-relay-fail-'));
    const store = new InMemoryEventStore();
    // A case event whose submission is missing: the mapping refuses to guess its program and year.
    const orphan = caseLifecycle(caseSpec('orphan', 1)).filter((a) => a.event.type !== 'ApplicationSubmitted');
    await appendAll(store, orphan);
    const errors: string[] = [];
    const relay = new Relay(store, relayConfigFromEnv({ KAFKA_BROKERS: `127.0.0.1:${await closedPort()}` }, { dataDir: dir, topic: 'never' }), {
      info: () => undefined,
      warn: () => undefined,
      error: (m) => errors.push(m),
    });
    await relay.start();
    await waitFor('the relay to fail', () => relay.status().state === 'failed', 5_000);
    expect(relay.status().lastError).toMatch(/CaseAccepted at global position \d+ .* no ApplicationSubmitted found/);
    expect(errors[0]).toMatch(/the store subscription failed at position \d+: CaseAccepted/);
    expect(relay.status().checkpoint).toBe(0);
    await relay.stop(500);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);
});
