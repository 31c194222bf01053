import { HttpException, RequestMethod } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { SecurityLogRecorder } from '@cbec/audit';
import { createValidationPipe, ProblemFilter, registerBeforeSend, toProblem } from '@cbec/platform';
import { registerBodyParsers } from './body-parsers';
import { rateLimitsFromEnv, RateLimitSettings, registerRateLimits } from './rate-limits';
import { registerSecurityHeaders } from './security-headers';
import { registerWorkbench } from './workbench-static';

export const API_PREFIX = 'api/v1';
/** The OpenAPI UI. */
export const DOCS_PATH = 'api/docs';
/** Where the OpenAPI JSON document is served: the UI's own address, and Nest's usual one. */
export const OPENAPI_JSON_PATHS = ['api/docs/openapi.json', 'api/docs-json'] as const;

/**
 * The HTTP adapter of the server: Fastify (ADR 0005: Express and Nest's Express adapter cost ~0.19 ms of
 * CPU per request, a bare Nest-on-Fastify app 0.04 ms). Routing is lenient as clients expect: a trailing slash
 * and the case of the fixed parts of a path do not matter, and a path parameter is not cut off at
 * Fastify's default 100 characters (the URL is bounded by Node's header size instead). Fastify sends no
 * ETag and no X-Powered-By.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 16 * 1024 },
    // The router refuses a URL it cannot decode (a bad %-escape: 400) before any route, and so before
    // Nest's exception layer: answered here as the API's 400 problem (`invalid-request`).
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const body = toProblem(new HttpException(error.message, error.statusCode ?? 400, { cause: error }));
      void reply.code(body.status).header('Content-Type', 'application/problem+json; charset=utf-8').send(JSON.stringify(body));
    },
  });
}

/** Nest's options for the app: the body parsers are ours (registerBodyParsers), not Nest's defaults. */
export const NEST_APP_OPTIONS = { bodyParser: false } as const;

/**
 * Everything the HTTP shell needs besides the modules and the adapter, shared by main.ts and the tests:
 * the body parsers (JSON up to 2 MB, text/csv bodies for the customs import up to 50 MB), the `/api/v1`
 * prefix (not on /health and /api/docs), the hook through which guards see an answer before it is sent
 * (before-send.ts: idempotent answers, read records), the global validation pipe and problem+json filter,
 * the OpenAPI document generated from the DTOs, and the web workbench at `/` once built (workbench-static.ts).
 */
export function configureApp(
  app: NestFastifyApplication,
  options: { docs?: boolean; workbench?: boolean; rateLimits?: RateLimitSettings } = {},
): NestFastifyApplication {
  registerSecurityHeaders(app.getHttpAdapter().getInstance());
  securityLogOf(app)?.register(app.getHttpAdapter().getInstance());
  registerRateLimits(app.getHttpAdapter().getInstance(), options.rateLimits ?? rateLimitsFromEnv());
  registerBodyParsers(app.getHttpAdapter().getInstance());
  registerBeforeSend(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX, { exclude: [{ path: 'health', method: RequestMethod.GET }] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemFilter(app.get(HttpAdapterHost)));
  if (options.docs !== false) {
    utf8DocsResponses(app.getHttpAdapter().getInstance());
    let document: OpenAPIObject | undefined;
    const openApi = (): OpenAPIObject => (document ??= createOpenApiDocument(app));
    // The UI's assets are served by @fastify/static, registered by SwaggerModule under Fastify.
    SwaggerModule.setup(DOCS_PATH, app, openApi, { jsonDocumentUrl: OPENAPI_JSON_PATHS[0] });
    // Nest's usual address of the JSON document, beside the one the UI loads: the same document.
    app
      .getHttpAdapter()
      .getInstance()
      .get(`/${OPENAPI_JSON_PATHS[1]}`, (_request, reply) => {
        void reply.type('application/json; charset=utf-8').send(openApi());
      });
  }
  if (options.workbench !== false) registerWorkbench(app.getHttpAdapter().getInstance());
  return app;
}

/** The security log's recorder, when the app has the audit module (an app of some modules alone, in tests, has not). */
function securityLogOf(app: NestFastifyApplication): SecurityLogRecorder | undefined {
  try {
    return app.get(SecurityLogRecorder);
  } catch {
    return undefined;
  }
}

/**
 * The OpenAPI document of the app's routes, generated from the controllers' decorators and the DTOs.
 * The app needs only to be initialised (`app.init()`), not listening: `npm run lint:openapi` writes it so.
 */
export function createOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle("Cross-border e-commerce awards of Lu'an — workflow API")
    .setDescription(
      [
        'HTTP v1 of docs/api.md (六政办秘〔2019〕4号). Money is a decimal string with at most two decimals; errors are application/problem+json.',
        'Every command honours `Idempotency-Key`; commands on an existing case honour `If-Match: <version>`.',
        'Extension of v1: `POST /api/v1/beneficiaries/{uscc}/external-awards` (COM records a municipal foreign-trade award that P1 is not combinable with).',
        "Extension of v1: `POST /api/v1/beneficiary-register` (COM imports registry extracts: where each USCC is registered) and `GET /api/v1/beneficiary-register/{uscc}`; every program requires the beneficiary registered in Lu'an in the award year.",
        "Extension of v1: `POST /api/v1/evaluate` (the CLI's `evaluate` over HTTP: a case file in, the award or the reasons with the trace out; no store involved).",
      ].join('\n\n'),
    )
    .setVersion('1')
    // The paths carry the /api/v1 prefix: the server is wherever this document was fetched from.
    .addServer('/', 'this server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addCookieAuth(
      'cbec_session',
      {
        type: 'apiKey',
        in: 'cookie',
        name: 'cbec_session',
        description: 'the session of POST /api/v1/session; a request by cookie that changes anything also sends X-CSRF-Token (docs/api.md, "Sessions")',
      },
      'session',
    )
    // Every route needs a bearer token or the session cookie unless it says otherwise (`security: []`, as /health does).
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('session')
    .build();
  // As package.json says: proprietary, no licence granted (an SPDX name without a URL).
  config.info.license = { name: 'UNLICENSED' };
  return SwaggerModule.createDocument(app, config);
}

/**
 * SwaggerModule answers the UI page, its init script (which holds the whole document) and the YAML
 * document as text/html, application/javascript and text/yaml without a charset; the document is full of
 * Chinese text, so they say UTF-8. Only the routes under /api/docs get the hook.
 */
function utf8DocsResponses(fastify: FastifyInstance): void {
  const sayUtf8: onSendHookHandler = (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && /^(text\/|application\/javascript)/i.test(type) && !/charset=/i.test(type)) {
      reply.header('content-type', `${type}; charset=utf-8`);
    }
    done(null, payload);
  };
  fastify.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/docs')) return;
    route.onSend = route.onSend === undefined ? [sayUtf8] : [...(Array.isArray(route.onSend) ? route.onSend : [route.onSend]), sayUtf8];
  });
}

/**
 * For tests that drive the app in-process (supertest on `app.getHttpServer()`): Fastify adds the routes of
 * plugins (the OpenAPI UI's assets) only once it is ready, which `listen()` does but `init()` does not.
 */
export async function initApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Listens on every interface (docker-compose publishes the port):
 * `::` (IPv6 and IPv4) where the machine has IPv6, else `0.0.0.0`. Fastify's own default is localhost only.
 */
export async function listenOnAllInterfaces(app: Pick<NestFastifyApplication, 'listen'>, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code !== 'EAFNOSUPPORT') throw error;
    await app.listen(port, '0.0.0.0');
  }
}
