// The resource report (Nova's update_available_resource): the driver's view of the node,
// with usage recomputed from the instances the database places here (as Nova's resource
// tracker does), written to this node's ComputeNode object.
import { ComputeNode, InstanceList, Service, type RequestContext } from '@novakit/objects';
import type { HostResources } from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';

/** Task states that count as work in progress on the node (Nova's current_workload). */
const BUSY = new Set(['networking', 'block_device_mapping', 'spawning', 'migrating', 'rebooting', 'rebooting_hard', 'resize_migrating', 'resize_prep']);

function nodeValues(env: ManagerEnv, res: HostResources) {
  return {
    host: env.host,
    hypervisor_hostname: res.hypervisor_hostname,
    vcpus: res.vcpus,
    memory_mb: res.memory_mb,
    local_gb: res.local_gb,
    hypervisor_type: res.hypervisor_type,
    hypervisor_version: res.hypervisor_version,
    cpu_info: res.cpu_info,
    disk_available_least: res.disk_available_least,
    supported_instances: JSON.stringify(res.supported_instances),
    host_ip: env.driver.getHostIpAddr(),
  };
}

/** The node record of this host, created on first sight (init_host and the first report). */
export async function ensureComputeNode(env: ManagerEnv, ctx: RequestContext, service: Service): Promise<ComputeNode> {
  try {
    return await ComputeNode.getByHostAndNodename(ctx, env.host, env.nodename);
  } catch (e) {
    if ((e as { category?: string }).category !== 'NotFound') throw e;
  }
  const res = await env.driver.getAvailableResource(env.nodename);
  const node = new ComputeNode(
    { ...nodeValues(env, res), service_id: service.id, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, free_ram_mb: res.memory_mb, free_disk_gb: res.local_gb, running_vms: 0, current_workload: 0, stats: {} },
    ctx,
  );
  await node.create();
  return node;
}

export async function reportResources(env: ManagerEnv, ctx: RequestContext, node: ComputeNode): Promise<void> {
  const res = await env.driver.getAvailableResource(env.nodename);
  const instances = await InstanceList.getByHost(ctx, env.host);
  const live = instances.objects.filter((i) => i.vm_state !== 'deleted');
  const memoryUsed = live.reduce((s, i) => s + (i.memory_mb ?? 0), 0);
  const vcpusUsed = live.reduce((s, i) => s + (i.vcpus ?? 0), 0);
  const diskUsed = live.reduce((s, i) => s + (i.root_gb ?? 0) + (i.ephemeral_gb ?? 0), 0);
  Object.assign(node, nodeValues(env, res), {
    vcpus_used: vcpusUsed,
    memory_mb_used: memoryUsed,
    local_gb_used: diskUsed,
    free_ram_mb: res.memory_mb - memoryUsed,
    free_disk_gb: res.local_gb - diskUsed,
    running_vms: live.length,
    current_workload: live.filter((i) => i.task_state !== null && BUSY.has(i.task_state)).length,
  });
  await node.save();
  env.log.debug({ running_vms: live.length, memory_mb_used: memoryUsed }, 'resources reported');
}
