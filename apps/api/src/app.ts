// The Fastify application: request ids, authentication, the JSON body parser, the routes and
// the one error handler that turns everything into Nova's fault bodies.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { generateRequestId } from '@novakit/objects';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requestContext, type ApiBackend } from './backend.js';
import type { ApiConfig } from './config.js';
import { RequestTooLarge, ResourceNotFound } from './errors.js';
import { requireAdmin, TokenAuth, type Identity } from './http/auth.js';
import { faultOf } from './http/fault.js';
import { parseJsonBody } from './http/json-body.js';
import type { AnyRoute } from './http/route.js';
import { parseOrThrow } from './http/zod-problems.js';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';
const NO_QUERY = z.strictObject({});

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export interface AppOptions {
  readonly config: ApiConfig;
  readonly backend: ApiBackend;
  readonly routes: readonly AnyRoute[];
  readonly logger: Logger;
}

function linksOf(request: FastifyRequest): { base: string } {
  return { base: `${request.protocol}://${request.host}` };
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { config, backend, routes } = options;
  const auth = new TokenAuth(config.auth.tokens);
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // The id is ours, never the client's: it names this request in every log line and reply.
    genReqId: () => generateRequestId(),
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const publicUrls = new Set(routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`));

  app.decorateRequest('identity', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, parseJsonBody(text as string));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.header('x-compute-request-id', request.id);
    if (publicUrls.has(`${request.method} ${request.routeOptions.url}`)) return;
    request.identity = auth.authenticate(request.headers['x-auth-token']);
  });

  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const e = (err as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new RequestTooLarge({ limit_bytes: config.bodyLimitBytes }) : err;
    const fault = faultOf(e, request.id);
    if (fault.unexpected) request.log.error({ err }, 'request failed unexpectedly');
    else request.log.info({ status: fault.status, error: (e as Error).name, reason: (e as Error).message }, 'request refused');
    reply.code(fault.status).type('application/json').send(fault.body);
  });

  app.setNotFoundHandler(async (request) => {
    throw new ResourceNotFound({ method: request.method, path: request.url.split('?')[0]! });
  });

  for (const r of routes) {
    app.route({
      method: r.method,
      url: r.url,
      handler: async (request, reply) => {
        const identity = request.identity;
        if (r.admin) requireAdmin(identity!, r.action);
        const params = r.params ? parseOrThrow(r.params, request.params, 'path') : {};
        const query = parseOrThrow(r.query ?? NO_QUERY, request.query ?? {}, 'query');
        const body = r.body ? parseOrThrow(r.body, request.body ?? null) : undefined;
        const ctx = identity ? requestContext(backend, request.id, identity) : null;
        const result = await r.handler({ params, query, body, ctx: ctx!, identity: identity!, log: request.log, links: linksOf(request) });
        reply.code(r.statusOf ? r.statusOf(result) : r.status);
        if (!r.response || result === undefined) return reply.send();
        const checked = r.response.safeParse(result);
        if (!checked.success) {
          request.log.error({ issues: checked.error.issues.slice(0, 5), route: `${r.method} ${r.url}` }, 'response does not match its schema');
          throw new Error(`response of ${r.method} ${r.url} does not match its schema`);
        }
        return reply.send(checked.data);
      },
    });
  }
  return app;
}
