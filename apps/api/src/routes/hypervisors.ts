// /v2.1/os-hypervisors (admin): the compute nodes with their resources and their service's state.
import { ComputeHostNotFound, ComputeNode, ComputeNodeList, ServiceList, type Service } from '@novakit/objects';
import { route, type AnyRoute } from '../http/route.js';
import { IdParams } from '../schemas/common.js';
import { HypervisorDetailListSchema, HypervisorListSchema, HypervisorShowSchema } from '../schemas/hypervisors.js';
import type { RequestContext } from '@novakit/objects';
import { serviceIsUp } from './services.js';

function summary(n: ComputeNode, s: Service | undefined) {
  return {
    id: n.id,
    hypervisor_hostname: n.hypervisor_hostname,
    state: s && serviceIsUp(s) ? ('up' as const) : ('down' as const),
    status: s?.disabled ? ('disabled' as const) : ('enabled' as const),
  };
}

function detail(n: ComputeNode, s: Service | undefined) {
  return {
    ...summary(n, s),
    vcpus: n.vcpus,
    memory_mb: n.memory_mb,
    local_gb: n.local_gb,
    vcpus_used: n.vcpus_used,
    memory_mb_used: n.memory_mb_used,
    local_gb_used: n.local_gb_used,
    hypervisor_type: n.hypervisor_type,
    hypervisor_version: n.hypervisor_version,
    free_ram_mb: n.free_ram_mb,
    free_disk_gb: n.free_disk_gb,
    current_workload: n.current_workload,
    running_vms: n.running_vms,
    disk_available_least: n.disk_available_least,
    host_ip: n.host_ip,
    cpu_info: n.cpu_info,
    service: { id: n.service_id ?? 0, host: s?.host ?? n.host, disabled_reason: s?.disabled_reason ?? null },
  };
}

async function servicesById(ctx: RequestContext): Promise<Map<number, Service>> {
  return new Map((await ServiceList.getByBinary(ctx, 'nova-compute')).map((s) => [s.id, s]));
}

/** Every compute node in `view`, with its service (nodes and services read concurrently). */
async function allNodes<V>(ctx: RequestContext, view: (n: ComputeNode, s: Service | undefined) => V): Promise<V[]> {
  const [nodes, services] = await Promise.all([ComputeNodeList.getAll(ctx), servicesById(ctx)]);
  return nodes.map((n) => view(n, services.get(n.service_id ?? -1)));
}

export function hypervisorRoutes(): AnyRoute[] {
  const base = { action: 'os_compute_api:os-hypervisors', admin: true, status: 200 } as const;
  return [
    route({
      ...base,
      method: 'GET',
      url: '/v2.1/os-hypervisors',
      response: HypervisorListSchema,
      handler: async ({ ctx }) => ({ hypervisors: await allNodes(ctx, summary) }),
    }),
    route({
      ...base,
      method: 'GET',
      url: '/v2.1/os-hypervisors/detail',
      response: HypervisorDetailListSchema,
      handler: async ({ ctx }) => ({ hypervisors: await allNodes(ctx, detail) }),
    }),
    route({
      ...base,
      method: 'GET',
      url: '/v2.1/os-hypervisors/:hypervisor_id',
      params: IdParams('hypervisor_id'),
      response: HypervisorShowSchema,
      handler: async ({ ctx, params }) => {
        // Ids are integers; a hypervisor_hostname is accepted too (what operators type).
        const id = params.hypervisor_id;
        const node = /^\d+$/.test(id) ? await ComputeNode.getById(ctx, Number(id)) : (await ComputeNodeList.getAll(ctx)).find((n) => n.hypervisor_hostname === id);
        if (!node) throw new ComputeHostNotFound({ host: id });
        return { hypervisor: detail(node, (await servicesById(ctx)).get(node.service_id ?? -1)) };
      },
    }),
  ];
}
