// /v2.1/servers: create, list (ids or details, with filters), show, delete.
import { NOTHING, ServerParams } from '../schemas/common.js';
import {
  ServerCreateBodySchema,
  ServerCreatedSchema,
  ServerDetailListSchema,
  ServerListQuerySchema,
  ServerListSchema,
  ServerShowSchema,
} from '../schemas/servers.js';
import { createServer, deleteServer, listServers, volumeMappingsByServer, volumeMappingsOf } from '../compute/servers.js';
import { findServer, SERVER_DETAIL_ATTRS } from '../compute/lookup.js';
import { route, type AnyRoute } from '../http/route.js';
import { serverDetail, serverSummary } from '../views/server.js';
import { links } from '../views/format.js';
import type { RouteDeps } from './services-bag.js';

export function serverRoutes({ backend }: RouteDeps): AnyRoute[] {
  return [
    route({
      method: 'POST',
      url: '/v2.1/servers',
      action: 'compute:create',
      body: ServerCreateBodySchema,
      status: 202,
      response: ServerCreatedSchema,
      handler: async ({ ctx, body, links: l }) => {
        const created = await createServer(backend, ctx, body);
        return {
          server: {
            id: created.uuid,
            links: links(l, 'servers', created.uuid),
            security_groups: created.security_groups.map((g) => ({ name: g.name ?? '' })),
            'OS-DCF:diskConfig': 'MANUAL',
          },
        };
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers',
      action: 'compute:get_all',
      query: ServerListQuerySchema,
      status: 200,
      response: ServerListSchema,
      handler: async ({ ctx, query, links: l }) => ({ servers: (await listServers(ctx, query, false)).map((i) => serverSummary(l, i)) }),
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers/detail',
      action: 'compute:get_all',
      query: ServerListQuerySchema,
      status: 200,
      response: ServerDetailListSchema,
      handler: async ({ ctx, query, links: l }) => {
        const list = await listServers(ctx, query, true);
        const volumes = await volumeMappingsByServer(ctx, list.map((i) => i.uuid));
        return { servers: list.map((i) => serverDetail(l, i, volumes.get(i.uuid) ?? [])) };
      },
    }),
    route({
      method: 'GET',
      url: '/v2.1/servers/:server_id',
      action: 'compute:get',
      params: ServerParams,
      status: 200,
      response: ServerShowSchema,
      handler: async ({ ctx, params, links: l }) => {
        const instance = await findServer(ctx, params.server_id, [...SERVER_DETAIL_ATTRS, 'fault']);
        return { server: serverDetail(l, instance, await volumeMappingsOf(ctx, instance.uuid)) };
      },
    }),
    route({
      method: 'DELETE',
      url: '/v2.1/servers/:server_id',
      action: 'compute:delete',
      params: ServerParams,
      status: 204,
      response: NOTHING,
      handler: async ({ ctx, params }) => deleteServer(backend, ctx, params.server_id),
    }),
  ];
}
