// A second process writing to the same log, for the crash and two-process int-specs. <dir> is the data
// directory of events.db, or a postgres:// URL for the PostgreSQL store.
//   burst   <dir> <appenders> <synchronous>   appends until killed; prints "ACK <json>" per acknowledged append
//   contend <dir> <streams> <rounds>          read-then-append loops on shared streams; prints "DONE <json>"
//   stale   <dir> <stream>                    reads the version, waits for "GO" on stdin, appends with it
//   chunked <dir> <stream>                    one appendChunked of 1000-event chunks without end; prints "STAGED <n>" per chunk
require('./ts-register');
const { randomUUID } = require('node:crypto');
const { SqliteEventStore } = require('../src/sqlite/sqlite-event-store.ts');
const { PostgresEventStore } = require('../src/postgres/postgres-event-store.ts');
const { WrongExpectedVersion } = require('../src/event-store.port.ts');

const [mode, directory, ...args] = process.argv.slice(2);
const metadata = () => ({
  correlationId: randomUUID(),
  causationId: null,
  commandId: randomUUID(),
  actor: { user: 'worker', unit: 'COM', role: 'clerk' },
  occurredAt: new Date().toISOString(),
  policyVersion: 'test',
});
const event = (type, data) => ({ eventId: randomUUID(), type, data, metadata: metadata() });
const say = (line) => process.stdout.write(line + '\n');

async function lastVersion(store, streamId) {
  let version = -1;
  for await (const e of store.readStream(streamId)) version = e.version;
  return version;
}

async function burst(store, appenders) {
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      const streamId = `burst-${a}`;
      for (let version = -1; ;) {
        const events = [0, 1, 2].map((i) => event('BurstWritten', { a, i, pad: 'x'.repeat(300) }));
        const result = await store.append(streamId, events, { expectedVersion: version === -1 ? 'no-stream' : version });
        version = result.nextExpectedVersion;
        say('ACK ' + JSON.stringify({ streamId, eventIds: events.map((e) => e.eventId), ...result }));
      }
    }),
  );
}

async function chunked(store, streamId) {
  const shared = metadata();
  function* chunks() {
    for (let n = 1; ; n++) {
      yield Array.from({ length: 1000 }, (_, i) => ({ eventId: randomUUID(), type: 'Staged', data: { n, i }, metadata: shared }));
      say('STAGED ' + n);
    }
  }
  await store.appendChunked(streamId, chunks(), { expectedVersion: 'no-stream' });
}

async function contend(store, streams, rounds) {
  const acked = [];
  let conflicts = 0;
  for (let round = 0; round < rounds; round++) {
    const streamId = `contended-${round % streams}`;
    for (;;) {
      const version = await lastVersion(store, streamId);
      const e = event('Contended', { by: process.pid, round });
      try {
        await store.append(streamId, [e], { expectedVersion: version === -1 ? 'no-stream' : version });
        acked.push(e.eventId);
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        conflicts++;
      }
    }
  }
  say('DONE ' + JSON.stringify({ acked, conflicts }));
}

async function stale(store, streamId) {
  const version = await lastVersion(store, streamId);
  say('READ ' + version);
  await new Promise((resolve) => process.stdin.once('data', resolve));
  try {
    await store.append(streamId, [event('StaleWrite', {})], { expectedVersion: version });
    say('APPENDED');
  } catch (error) {
    say('REFUSED ' + JSON.stringify({ name: error.name, expected: error.expected, actual: error.actual }));
  }
}

(async () => {
  const store = /^postgres(ql)?:\/\//.test(directory)
    ? await PostgresEventStore.open({ connectionString: directory })
    : new SqliteEventStore({ directory, synchronous: mode === 'burst' ? args[1] : 'FULL' });
  say('READY');
  if (mode === 'burst') await burst(store, Number(args[0]));
  else if (mode === 'contend') await contend(store, Number(args[0]), Number(args[1]));
  else if (mode === 'stale') await stale(store, args[0]);
  else if (mode === 'chunked') await chunked(store, args[0]);
  else throw new Error(`unknown mode ${mode}`);
  await store.close();
  process.exit(0);
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error) + '\n');
  process.exit(1);
});
