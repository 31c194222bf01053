import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a port number, got ${process.env.PORT}`);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
    bodyParser: false,
    logger: ['log', 'warn', 'error'],
  });
  configureApp(app);
  // SIGTERM/SIGINT: stop taking requests, stop the process manager and relay, then close the store.
  app.enableShutdownHooks();
  await app.listen(port);
  Logger.log(`workflow-api listening on http://localhost:${port} (docs: /api/docs, data: ${process.env.CBEC_DATA_DIR ?? './data'})`, 'Bootstrap');
}

/** A start-up mistake a user fixes (a bad PORT, a port in use): one line, no stack trace. */
class StartupError extends Error {}

bootstrap().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const line =
    error instanceof StartupError
      ? error.message
      : code === 'EADDRINUSE'
        ? `port ${process.env.PORT ?? 3000} is already in use: stop the server using it, or start on another port with PORT=<port> npm start`
        : null;
  // eslint-disable-next-line no-console
  console.error(line ?? error);
  process.exit(1);
});
