import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
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

bootstrap().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
