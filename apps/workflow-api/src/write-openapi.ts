import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { AppModule } from './app.module';
import { configureApp, createHttpAdapter, createOpenApiDocument, NEST_APP_OPTIONS } from './configure-app';

/**
 * `node dist/apps/workflow-api/src/write-openapi.js <file>`: writes the OpenAPI document the server serves
 * at /api/docs-json, from the app initialised but not listening, on a throw-away data folder with no
 * Kafka and no EventStoreDB (`npm run lint:openapi` lints the file).
 */
async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: write-openapi <file>');
  const dataDir = mkdtempSync(resolve(tmpdir(), 'cbec-openapi-'));
  try {
    const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ dataDir, env: {}, followsLog: false }), createHttpAdapter(), {
      ...NEST_APP_OPTIONS,
      logger: ['error'],
    });
    try {
      configureApp(app, { docs: false });
      await app.init();
      const target = resolve(file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(createOpenApiDocument(app), null, 2) + '\n');
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
