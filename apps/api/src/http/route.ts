// One route as data: method, path, who may call it, zod schemas for path, query, body and
// response, and the handler. Every input is parsed before the handler runs (a failure is a
// 400 naming the field) and every output is checked against its schema before it is sent
// (a mismatch is our bug: a 500, logged).
import type { FastifyBaseLogger } from 'fastify';
import type { RequestContext } from '@novakit/objects';
import type { z } from 'zod';
import type { Identity } from './auth.js';
import type { Links } from '../views/format.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteCall<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly ctx: RequestContext;
  readonly identity: Identity;
  readonly log: FastifyBaseLogger;
  readonly links: Links;
}

export interface RouteSpec<PS extends z.ZodType, QS extends z.ZodType, BS extends z.ZodType, RS extends z.ZodType | null> {
  readonly method: HttpMethod;
  /** Fastify path syntax: `/v2.1/servers/:server_id`. */
  readonly url: string;
  /** Nova's policy / operation name: in 403 bodies and logs. */
  readonly action: string;
  /** Only tokens with the admin role (Nova's admin_api policies). */
  readonly admin?: boolean;
  /** No token needed (health check). */
  readonly public?: boolean;
  readonly params?: PS;
  readonly query?: QS;
  readonly body?: BS;
  readonly status: number;
  /** For routes whose success status depends on the result (server actions: 200 with a body, else 202). */
  readonly statusOf?: (result: unknown) => number;
  /** The response body's schema; null for the empty bodies of 202/204. */
  readonly response: RS;
  readonly handler: (call: RouteCall<z.output<PS>, z.output<QS>, z.output<BS>>) => Promise<RS extends z.ZodType ? z.input<RS> : void>;
}

// Routes are kept in one list whatever their schemas; `route()` keeps each one's inference.
export type AnyRoute = RouteSpec<any, any, any, any>;

export function route<PS extends z.ZodType = z.ZodUnknown, QS extends z.ZodType = z.ZodUnknown, BS extends z.ZodType = z.ZodUnknown, RS extends z.ZodType | null = null>(
  spec: RouteSpec<PS, QS, BS, RS>,
): AnyRoute {
  return spec as AnyRoute;
}
