// Builds the Fastify server with the API's conventions: zod schemas per route (also the OpenAPI source),
// request ids and redacted logs, one error shape with stable codes, JSON 404s, body limits and CORS off.
import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { HubContext } from '../hub-context.ts';
import { ApiError, ERROR_CODES, errorBody, type FieldProblem } from '../errors.ts';
import { newId } from '../ids.ts';
import { createAuthenticator } from './authenticate.ts';
import { createIdempotency } from './idempotency.ts';
import './route-options.ts';

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

const VALIDATION_CONTEXT: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

export async function createHttpServer(hub: HubContext, options: { dashboardDir: string }): Promise<App> {
  const app = Fastify({
    loggerInstance: hub.logger,
    bodyLimit: hub.config.bodyLimit,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : newId();
    },
    // One compact line per API request is written by the onResponse hook below instead.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    hub.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (route.startsWith('/api/') || reply.statusCode >= 500) {
      request.log[level](
        { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
        'request',
      );
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.code(error.status).headers(error.headers).send(errorBody(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = VALIDATION_CONTEXT[error.validationContext ?? 'body'] ?? 'body';
      const details: FieldProblem[] = error.validation.map((issue) => {
        const pathPart = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { field: pathPart ? `${where}.${pathPart}` : where, message: issue.message ?? 'is invalid' };
      });
      const summary = details.map((d) => `${d.field}: ${d.message}`).join('; ');
      return reply.code(400).send(errorBody('validation_failed', `Invalid request. ${summary}`, details));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(errorBody('payload_too_large', `The body exceeds the limit of ${hub.config.bodyLimit} bytes.`));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send(errorBody('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.'));
    }
    if (error.statusCode === 400 || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.code(400).send(errorBody('bad_request', `The request could not be read: ${error.message}`));
    }
    if (error.statusCode === 429) {
      return reply.code(429).send(errorBody('rate_limited', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send(errorBody('internal_error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`));
  });

  if (hub.config.corsOrigins.length > 0) {
    await app.register(cors, { origin: hub.config.corsOrigins, credentials: true });
  }
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        version: '1',
        description:
          'Self-hosted integrations hub. Authenticate with `Authorization: Bearer <API key>`. ' +
          'Errors are `{ "error": { "code", "message", "details"? } }`; codes:\n\n' +
          Object.entries(ERROR_CODES)
            .map(([code, { status, meaning }]) => `- \`${code}\` (${status}): ${meaning}`)
            .join('\n'),
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const authenticate = createAuthenticator(hub);
  const idempotency = createIdempotency(hub.db);
  app.addHook('preHandler', async (request, reply) => {
    if (request.is404) return;
    if (request.url.startsWith('/api/')) {
      await authenticate(request, reply);
      await idempotency.claim(request, reply);
    } else if (request.url.startsWith('/v1/')) {
      // The OpenAI-compatible endpoints: a workspace API key as bearer, as the official SDKs send it.
      await authenticate(request, reply);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => idempotency.store(request, reply, payload));

  const dashboardIndex = path.join(options.dashboardDir, 'index.html');
  const dashboardBuilt = existsSync(dashboardIndex);
  if (dashboardBuilt) {
    await app.register(fastifyStatic, { root: options.dashboardDir, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    if (wantsPage && dashboardBuilt) {
      return reply.sendFile('index.html');
    }
    if (wantsPage) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The dashboard is not built. Run `npm run build` (npm start does it for you), then reload.');
    }
    return reply
      .code(404)
      .send(errorBody('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}. The API lives under /api/v1; see /docs.`));
  });

  return app;
}
