// /v2.1/flavors: list (ids or details), show, create (admin).
import { randomUUID } from 'node:crypto';
import { Flavor, FlavorList, type FlavorQuery } from '@novakit/objects';
import { route, type AnyRoute } from '../http/route.js';
import { IdParams } from '../schemas/common.js';
import { FlavorCreateBodySchema, FlavorDetailListSchema, FlavorListQuerySchema, FlavorListSchema, FlavorShowSchema } from '../schemas/flavors.js';
import { links, type Links } from '../views/format.js';
import type { z } from 'zod';
import type { RequestContext } from '@novakit/objects';

function flavorView(l: Links, f: Flavor) {
  return {
    id: f.flavorid,
    name: f.name,
    ram: f.memory_mb,
    vcpus: f.vcpus,
    disk: f.root_gb,
    'OS-FLV-EXT-DATA:ephemeral': f.ephemeral_gb,
    // Nova shows no swap as an empty string.
    swap: f.swap ? f.swap : ('' as const),
    rxtx_factor: f.rxtx_factor ?? 1.0,
    'os-flavor-access:is_public': f.is_public,
    'OS-FLV-DISABLED:disabled': f.disabled,
    links: links(l, 'flavors', f.flavorid),
  };
}

function listFlavors(ctx: RequestContext, q: z.output<typeof FlavorListQuerySchema>): Promise<FlavorList> {
  const filters: NonNullable<FlavorQuery['filters']> = { disabled: false };
  if (q.minRam !== undefined) filters.min_memory_mb = q.minRam;
  if (q.minDisk !== undefined) filters.min_root_gb = q.minDisk;
  // Admins see private flavors on request (is_public=false or none); others what they may use.
  if (ctx.is_admin && q.is_public !== undefined) filters.is_public = q.is_public === 'none' ? null : q.is_public;
  else filters.project_id = ctx.project_id!;
  return FlavorList.getAll(ctx, {
    filters,
    sortKey: q.sort_key ?? 'flavorid',
    sortDir: q.sort_dir ?? 'asc',
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.marker !== undefined ? { marker: q.marker } : {}),
  });
}

export function flavorRoutes(): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/v2.1/flavors',
      action: 'os_compute_api:flavors',
      query: FlavorListQuerySchema,
      status: 200,
      response: FlavorListSchema,
      handler: async ({ ctx, query, links: l }) => ({ flavors: (await listFlavors(ctx, query)).map((f) => ({ id: f.flavorid, name: f.name, links: links(l, 'flavors', f.flavorid) })) }),
    }),
    route({
      method: 'GET',
      url: '/v2.1/flavors/detail',
      action: 'os_compute_api:flavors',
      query: FlavorListQuerySchema,
      status: 200,
      response: FlavorDetailListSchema,
      handler: async ({ ctx, query, links: l }) => ({ flavors: (await listFlavors(ctx, query)).map((f) => flavorView(l, f)) }),
    }),
    route({
      method: 'GET',
      url: '/v2.1/flavors/:flavor_id',
      action: 'os_compute_api:flavors',
      params: IdParams('flavor_id'),
      status: 200,
      response: FlavorShowSchema,
      handler: async ({ ctx, params, links: l }) => ({ flavor: flavorView(l, await Flavor.getByFlavorId(ctx, params.flavor_id)) }),
    }),
    route({
      method: 'POST',
      url: '/v2.1/flavors',
      action: 'os_compute_api:os-flavor-manage:create',
      admin: true,
      body: FlavorCreateBodySchema,
      status: 200,
      response: FlavorShowSchema,
      handler: async ({ ctx, body, links: l }) => {
        const b = body.flavor;
        const flavor = new Flavor(
          {
            name: b.name,
            flavorid: b.id ?? randomUUID(),
            memory_mb: b.ram,
            vcpus: b.vcpus,
            root_gb: b.disk,
            ephemeral_gb: b['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
            swap: b.swap ?? 0,
            rxtx_factor: b.rxtx_factor ?? 1.0,
            vcpu_weight: null,
            is_public: b['os-flavor-access:is_public'] ?? true,
            disabled: false,
            extra_specs: {},
          },
          ctx,
        );
        await flavor.create();
        return { flavor: flavorView(l, flavor) };
      },
    }),
  ];
}
