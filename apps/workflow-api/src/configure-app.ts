import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { createValidationPipe, ProblemFilter } from '@cbec/workflow';

export const API_PREFIX = 'api/v1';

/**
 * Everything the HTTP shell needs besides the modules, shared by main.ts and the e2e tests: the
 * `/api/v1` prefix (not on /health and /api/docs), the global validation pipe and problem+json filter,
 * text/csv bodies for the customs import, and the OpenAPI document generated from the DTOs.
 */
export function configureApp(app: INestApplication, options: { docs?: boolean } = {}): INestApplication {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: '2mb' });
  express.useBodyParser('text', { type: ['text/csv'], limit: '50mb' });
  express.disable('x-powered-by');
  // Versions travel in the bodies (and If-Match); hashing every response for an ETag is wasted work.
  express.set('etag', false);
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  if (options.docs !== false) {
    const config = new DocumentBuilder()
      .setTitle('Cross-border e-commerce awards of Lu\'an — workflow API')
      .setDescription(
        [
          'HTTP v1 of docs/API.md (六政办秘〔2019〕4号). Money is a decimal string with at most two decimals; errors are application/problem+json.',
          'Every command honours `Idempotency-Key`; commands on an existing case honour `If-Match: <version>`.',
          'Extension of v1: `POST /api/v1/beneficiaries/{uscc}/external-awards` (COM records a municipal foreign-trade award that P1 is not combinable with).',
        ].join('\n\n'),
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  return app;
}
