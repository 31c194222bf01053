import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** Helpers for the tests that run against a real broker (`*.int-spec.ts`). */

export const KAFKA_BROKERS =
  process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean) ?? [];

export const KAFKA_SKIP_LINE =
  'SKIPPED: Kafka integration tests need a broker. KAFKA_BROKERS is not set. Run them with: ' +
  'infra/kafka/kafka.sh start && KAFKA_BROKERS=127.0.0.1:19092 npm run test:int';

export const REPO_ROOT = resolve(__dirname, '../../../..');

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export interface TopicRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: number;
}

/** Reads every record of `topic` (a fresh group, from the beginning) until `atLeast` arrived. */
export async function readTopic(brokers: string[], topic: string, atLeast: number, timeoutMs = 30_000): Promise<TopicRecord[]> {
  const kafka = new Kafka({ brokers, clientId: 'test-reader', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const records: TopicRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolvePromise, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length} of at least ${atLeast} records from ${topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message, partition }) => {
          records.push({
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            partition,
            offset: Number(message.offset),
          });
          if (records.length >= atLeast) {
            clearTimeout(timer);
            resolvePromise();
          }
        },
      });
    });
    // A short grace period to see duplicates beyond `atLeast`.
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export interface Child {
  process: ChildProcess;
  lines: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry in a child process (swc on the fly, see libs/event-store/test-support/ts-register.js). */
export function spawnTs(file: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, ['-r', join(__dirname, '../../../event-store/test-support/ts-register.js'), file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    lines.push(...parts.filter(Boolean));
  });
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { process: child, lines, stderr, exited };
}

export function kafkaScript(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(join(REPO_ROOT, 'infra/kafka/kafka.sh'), args, { env: { ...process.env, ...env }, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kafka.sh ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolvePromise(stdout.trim());
    });
  });
}
