import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import cluster from 'node:cluster';
import { AuthStore, dataDirFromEnv } from '@cbec/platform';
import { AppModule } from './app.module';
import { prepareWorkerEnv, runPrimary, workerCountFromEnv, WorkersSettingError } from './cluster';
import { configureApp, createHttpAdapter, listenOnAllInterfaces, NEST_APP_OPTIONS } from './configure-app';
import { firstAccountLine, LogLevelSettingError, nestLogLevels, startupLine } from './startup-log';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a port number, got ${process.env.PORT}`);
  let logger;
  try {
    logger = nestLogLevels();
  } catch (error) {
    throw error instanceof LogLevelSettingError ? new StartupError(error.message) : error;
  }
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createHttpAdapter(), { ...NEST_APP_OPTIONS, logger });
  configureApp(app);
  // SIGTERM/SIGINT: stop taking requests, stop the process manager and relay, then close the store.
  app.enableShutdownHooks();
  await listenOnAllInterfaces(app, port);
  // One line, whatever CBEC_LOG_LEVEL says (in cluster mode, from the first worker only).
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    console.log(startupLine(port, dataDirFromEnv()));
    const hint = firstAccountLine(dataDirFromEnv(), await app.get(AuthStore).hasCredentials());
    if (hint) console.log(hint);
  }
}

/** A start-up mistake a user fixes (a bad PORT, a port in use): one line, no stack trace. */
class StartupError extends Error {}

function failedToStart(error: unknown): never {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const line =
    error instanceof StartupError
      ? error.message
      : code === 'EADDRINUSE'
        ? `port ${process.env.PORT ?? 3000} is already in use: stop the server using it, or start on another port with PORT=<port> npm start`
        : null;
  console.error(line ?? error);
  process.exit(1);
}

// CBEC_WORKERS > 1: this process becomes the cluster primary and forks the HTTP workers (cluster.ts);
// with 1 (the default) it is the server itself, as before.
let workers = 1;
try {
  workers = workerCountFromEnv();
} catch (error) {
  failedToStart(error instanceof WorkersSettingError ? new StartupError(error.message) : error);
}
if (workers > 1 && cluster.isPrimary) runPrimary(workers);
else {
  if (cluster.isWorker) prepareWorkerEnv();
  bootstrap().catch(failedToStart);
}
