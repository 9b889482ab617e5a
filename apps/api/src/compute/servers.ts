// The server lifecycle as Nova's compute API does it: create (records the action, then the
// conductor creates, schedules and builds), list with filters, delete (local when no compute
// holds the server, otherwise task_state deleting and a cast to its compute).
import { randomUUID } from 'node:crypto';
import {
  BlockDeviceMappingList,
  Flavor,
  FlavorNotFound,
  Instance,
  InstanceAction,
  InstanceList,
  RequestContext,
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupNotFound,
  TaskState,
  type BlockDeviceMapping,
} from '@novakit/objects';
import { NoValidHost } from '@novakit/conductor-api';
import type { ApiBackend } from '../backend.js';
import { FlavorRefInvalid, InvalidInput, PolicyNotAuthorized } from '../errors.js';
import type { ServerCreateBody, ServerListQuery } from '../schemas/servers.js';
import { SERVER_DETAIL_ATTRS, serverForAction } from './lookup.js';
import { taskStatesOf, vmStatesOf } from './states.js';

/** The flavor id of a flavorRef: an id, or a URL ending in one. */
export function flavorIdOf(ref: string): string {
  return ref.includes('/') ? ref.replace(/\/+$/, '').split('/').pop()! : ref;
}

async function flavorFor(ctx: RequestContext, ref: string): Promise<Flavor> {
  try {
    const flavor = await Flavor.getByFlavorId(ctx, flavorIdOf(ref));
    if (flavor.disabled) throw new FlavorRefInvalid({ flavor_ref: ref, reason: 'the flavor is disabled' });
    return flavor;
  } catch (e) {
    if (e instanceof FlavorNotFound) throw new FlavorRefInvalid({ flavor_ref: ref, reason: 'no such flavor' });
    throw e;
  }
}

/** Names of the groups a new server joins; each must exist in the project ('default' is created on first use). */
async function securityGroupsFor(ctx: RequestContext, requested: readonly { name: string }[] | undefined): Promise<string[]> {
  const names = [...new Set((requested ?? [{ name: 'default' }]).map((g) => g.name))];
  for (const [i, name] of names.entries()) {
    if (name === 'default') continue;
    try {
      await SecurityGroup.getByName(ctx, ctx.project_id!, name);
    } catch (e) {
      if (e instanceof SecurityGroupNotFound) throw new InvalidInput({ field: `server.security_groups[${i}].name`, problem: `security group ${name} not found` });
      throw e;
    }
  }
  return names;
}

/** `nova` or `nova:<host>`: the zone, and a forced host (admins only, Juno's forced_host policy). */
function placementOf(ctx: RequestContext, az: string | undefined): { zone: string; forceHosts: string[] } {
  if (!az) return { zone: 'nova', forceHosts: [] };
  const [zone, host, ...rest] = az.split(':');
  if (rest.length || !zone || host === '') throw new InvalidInput({ field: 'server.availability_zone', problem: 'expected <zone> or <zone>:<host>' });
  if (zone !== 'nova') throw new InvalidInput({ field: 'server.availability_zone', problem: `unknown availability zone ${zone}` });
  if (host && !ctx.is_admin) throw new PolicyNotAuthorized({ action: 'compute:create:forced_host' });
  return { zone, forceHosts: host ? [host] : [] };
}

function requestedNetworks(n: ServerCreateBody['server']['networks']): Record<string, unknown>[] | null {
  // `none` still gets the deployment's one default VIF: the compute allocates it (no network service here).
  if (n === undefined || n === 'auto' || n === 'none') return null;
  return n.map((r) => ({ network_id: r.uuid ?? null, port_id: r.port ?? null, address: r.fixed_ip ?? null }));
}

export async function createServer(backend: ApiBackend, ctx: RequestContext, body: ServerCreateBody): Promise<Instance> {
  const s = body.server;
  const flavor = await flavorFor(ctx, s.flavorRef);
  const groups = await securityGroupsFor(ctx, s.security_groups);
  const { zone, forceHosts } = placementOf(ctx, s.availability_zone);
  const uuid = randomUUID();
  const instance = new Instance(
    {
      uuid,
      display_name: s.name,
      hostname: s.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || `server-${uuid.slice(0, 8)}`,
      project_id: ctx.project_id,
      user_id: ctx.user_id,
      image_ref: s.imageRef ? s.imageRef : null,
      flavor,
      instance_type_id: flavor.id,
      memory_mb: flavor.memory_mb,
      vcpus: flavor.vcpus,
      root_gb: flavor.root_gb,
      ephemeral_gb: flavor.ephemeral_gb,
      metadata: { ...(s.metadata ?? {}) },
      system_metadata: {},
      security_groups: new SecurityGroupList({ objects: groups.map((name) => new SecurityGroup({ name })) }),
      availability_zone: zone,
      launch_index: 0,
      reservation_id: `r-${randomUUID().slice(0, 8)}`,
      progress: 0,
      config_drive: '',
      host: null,
      node: null,
    },
    ctx,
  );
  // The action first, under the uuid the conductor will create the instance with: the
  // compute's build event then finds it (and records no action of its own).
  await InstanceAction.actionStart(ctx, uuid, 'create', { wantResult: false });
  const image = { id: instance.image_ref, ...(instance.image_ref ? { name: instance.image_ref } : {}), properties: {} };
  try {
    const [created] = await backend.conductor.computeTask.build_instances(ctx, {
      instances: [instance],
      image,
      filter_properties: forceHosts.length ? { force_hosts: forceHosts } : {},
      requested_networks: requestedNetworks(s.networks),
      security_groups: groups,
    });
    return created ?? instance;
  } catch (e) {
    // Nova answers 202 and the server goes to ERROR with the fault: the conductor already did that.
    if (e instanceof NoValidHost) return instance;
    throw e;
  }
}

export async function listServers(ctx: RequestContext, q: ServerListQuery, detail: boolean): Promise<InstanceList> {
  const filters: Record<string, unknown> = { project_id: ctx.project_id, deleted: false };
  let listCtx = ctx;
  if (q['changes-since']) {
    // Nova: changes-since also lists servers deleted since then.
    delete filters.deleted;
    filters['changes-since'] = new Date(q['changes-since']);
    listCtx = RequestContext.withReadDeleted(ctx, 'yes');
  }
  if (q.name) filters.display_name = { like: q.name };
  if (q.status) {
    filters.vm_state = vmStatesOf(q.status);
    const tasks = taskStatesOf(q.status);
    if (tasks) filters.task_state = tasks;
  }
  if (q.host && ctx.is_admin) filters.host = q.host;
  if (q.image) filters.image_ref = q.image;
  if (q.flavor) {
    try {
      filters.instance_type_id = (await Flavor.getByFlavorId(RequestContext.withReadDeleted(ctx, 'yes'), flavorIdOf(q.flavor))).id;
    } catch (e) {
      if (e instanceof FlavorNotFound) return new InstanceList({ objects: [] }, ctx);
      throw e;
    }
  }
  const list = await InstanceList.getByFilters(listCtx, filters, {
    sortKey: q.sort_key ?? 'created_at',
    sortDir: q.sort_dir ?? 'desc',
    ...(q.limit !== undefined ? { limit: q.limit } : {}),
    ...(q.marker !== undefined ? { marker: q.marker } : {}),
    expectedAttrs: detail ? SERVER_DETAIL_ATTRS : [],
  });
  if (detail && list.some((i) => i.vm_state === 'error')) await list.fillFaults();
  return list;
}

/**
 * The volume mappings of each server (for the views' volumes_attached), with one conductor
 * call for all of them; a release-1 conductor is asked per server (bdmsByInstanceUuid).
 */
export async function volumeMappingsByServer(ctx: RequestContext, uuids: readonly string[]): Promise<Map<string, BlockDeviceMapping[]>> {
  const byUuid = await BlockDeviceMappingList.bdmsByInstanceUuid(ctx, uuids);
  return new Map([...byUuid].map(([uuid, list]) => [uuid, list.volumeBdms()]));
}

/** The volume mappings of one server. */
export async function volumeMappingsOf(ctx: RequestContext, uuid: string): Promise<BlockDeviceMapping[]> {
  return (await volumeMappingsByServer(ctx, [uuid])).get(uuid) ?? [];
}

export async function deleteServer(backend: ApiBackend, ctx: RequestContext, id: string): Promise<void> {
  const instance = await serverForAction(ctx, id, 'delete', 'delete', { deletedIsNotFound: true });
  await InstanceAction.actionStart(ctx, instance.uuid, 'delete', { wantResult: false });
  if (!instance.host) {
    // No compute holds it (scheduling failed or never happened): Nova's local delete.
    await instance.destroy();
    return;
  }
  const held = instance.task_state;
  instance.task_state = TaskState.DELETING;
  await instance.save({ expectedTaskState: held });
  await backend.compute.terminateInstance(ctx, instance);
}
