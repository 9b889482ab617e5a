// Instance objects as Nova's server JSON.
import { vifFixedIps, type BlockDeviceMapping, type Instance, type NetworkInfo } from '@novakit/objects';
import { statusOf } from '../compute/states.js';
import type { ServerDetail } from '../schemas/servers.js';
import { hostIdOf, isoTime, links, type Links } from './format.js';

function addressesOf(networkInfo: NetworkInfo): ServerDetail['addresses'] {
  const out: ServerDetail['addresses'] = {};
  for (const vif of networkInfo) {
    const label = vif.network?.label ?? 'private';
    const list = (out[label] ??= []);
    for (const ip of vifFixedIps(vif)) {
      if (!ip.address) continue;
      list.push({ version: ip.version ?? (ip.address.includes(':') ? 6 : 4), addr: ip.address, 'OS-EXT-IPS:type': ip.type ?? 'fixed', 'OS-EXT-IPS-MAC:mac_addr': vif.address });
    }
  }
  return out;
}

const loaded = <K extends keyof Instance>(i: Instance, k: K & string): Instance[K] | undefined => (i.obj_attr_is_set(k) ? i[k] : undefined);

/** The detail view. `volumes` are the instance's volume mappings; the instance's joined attributes must be loaded. */
export function serverDetail(l: Links, i: Instance, volumes: readonly BlockDeviceMapping[]): ServerDetail {
  const cache = loaded(i, 'info_cache');
  const networkInfo = cache && cache.obj_attr_is_set('network_info') && cache.network_info ? cache.network_info : [];
  const flavor = loaded(i, 'flavor');
  const fault = loaded(i, 'fault');
  const flavorId = flavor?.flavorid ?? String(i.instance_type_id ?? '');
  const view: ServerDetail = {
    id: i.uuid,
    name: i.display_name,
    status: statusOf(i.vm_state, i.task_state),
    tenant_id: i.project_id,
    user_id: i.user_id,
    metadata: { ...(loaded(i, 'metadata') ?? {}) },
    hostId: hostIdOf(i.project_id, i.host),
    image: i.image_ref ? { id: i.image_ref, links: links(l, 'images', i.image_ref).slice(1) } : '',
    flavor: { id: flavorId, links: links(l, 'flavors', flavorId).slice(1) },
    created: isoTime(i.created_at),
    updated: isoTime(i.updated_at ?? i.created_at),
    addresses: addressesOf(networkInfo),
    accessIPv4: i.access_ip_v4 ?? '',
    accessIPv6: i.access_ip_v6 ?? '',
    links: links(l, 'servers', i.uuid),
    progress: i.progress ?? 0,
    'OS-DCF:diskConfig': i.auto_disk_config ? 'AUTO' : 'MANUAL',
    'OS-EXT-AZ:availability_zone': i.availability_zone ?? 'nova',
    'OS-EXT-SRV-ATTR:host': i.host,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': i.node,
    'OS-EXT-SRV-ATTR:instance_name': i.name,
    'OS-EXT-STS:task_state': i.task_state,
    'OS-EXT-STS:vm_state': i.vm_state,
    'OS-EXT-STS:power_state': i.power_state ?? 0,
    'OS-SRV-USG:launched_at': isoTime(i.launched_at),
    'OS-SRV-USG:terminated_at': isoTime(i.terminated_at),
    'os-extended-volumes:volumes_attached': volumes.filter((b) => b.volume_id).map((b) => ({ id: b.volume_id! })),
    security_groups: (loaded(i, 'security_groups') ?? []).map((g) => ({ name: g.name ?? '' })),
    key_name: i.key_name,
    config_drive: i.config_drive ?? '',
  };
  // Nova shows the fault of a server in ERROR (or being deleted), never a stack to non-admins.
  if (fault && (i.vm_state === 'error' || i.vm_state === 'deleted')) view.fault = { code: fault.code ?? 500, message: fault.message ?? '', created: isoTime(fault.created_at) };
  return view;
}

export function serverSummary(l: Links, i: Instance): { id: string; name: string | null; links: { rel: string; href: string }[] } {
  return { id: i.uuid, name: i.display_name, links: links(l, 'servers', i.uuid) };
}
