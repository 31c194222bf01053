import { openSqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import { ProjectionRunner } from '../runner/projection-runner';
import { ReadModelDb } from '../runner/read-model-db';

/**
 * A projection runner in its own process, for the crash test: `node -r libs/event-store/test-support/ts-register.js crash-child.ts
 * <storeDir> <readModelsFile> <batchSize> <killAtCommit|0>`. With a kill point, it SIGKILLs itself inside
 * that batch's transaction, after every row and checkpoint is written and before COMMIT; otherwise it
 * catches up with the log and exits 0.
 */
async function main(): Promise<void> {
  const [storeDir, file, batchSize, killAt] = process.argv.slice(2);
  const store = openSqliteEventStore({ directory: storeDir });
  const readModels = await ReadModelDb.open(file, ALL_PROJECTIONS);
  let commits = 0;
  const runner = new ProjectionRunner(store, readModels, {
    batchSize: Number(batchSize),
    beforeCommit: () => {
      if (++commits === Number(killAt)) process.kill(process.pid, 'SIGKILL');
    },
  });
  runner.start();
  await runner.caughtUp(await store.headPosition(), { timeoutMs: 30_000 });
  await runner.stop();
  await readModels.close();
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
