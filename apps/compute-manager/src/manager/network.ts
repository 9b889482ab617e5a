// Network allocation of this deployment: there is no network service, so the compute builds
// the instance's VIFs itself from the requested networks (a MAC each, honouring the driver's
// MAC constraint) and keeps them in the info cache, where every driver call reads them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Instance, NetworkInfo } from '@novakit/objects';
import type { DhcpOption } from '@novakit/virt-driver';

export interface RequestedNetwork {
  readonly network_id?: string | null | undefined;
  readonly address?: string | null | undefined;
  readonly port_id?: string | null | undefined;
}

function randomMac(): string {
  const b = randomBytes(3);
  return ['fa', '16', '3e', ...[...b].map((x) => x.toString(16).padStart(2, '0'))].join(':');
}

/** One VIF per requested network (one on the default network when none was asked for). */
export function allocateNetworkInfo(requested: readonly RequestedNetwork[] | null | undefined, macs: ReadonlySet<string> | null, dhcpOptions: DhcpOption[] | null): NetworkInfo {
  const wanted = requested && requested.length > 0 ? requested : [{ network_id: null }];
  const pool = macs ? [...macs] : null;
  return wanted.map((r, i) => {
    const id = r.port_id ?? randomUUID();
    const address = pool ? (pool[i] ?? null) : randomMac();
    return {
      id,
      address,
      type: 'bridge',
      devname: `tap${id.slice(0, 11)}`,
      network: {
        id: r.network_id ?? 'default',
        bridge: 'br100',
        label: r.network_id ?? 'private',
        subnets: r.address ? [{ cidr: null, ips: [{ address: r.address, type: 'fixed', version: r.address.includes(':') ? 6 : 4, floating_ips: [] }] }] : [],
      },
      ...(dhcpOptions ? { meta: { extra_dhcp_opts: dhcpOptions } } : {}),
    };
  });
}

/** Stores the VIFs in the instance's info cache (saved with the instance). */
export async function setNetworkInfo(instance: Instance, networkInfo: NetworkInfo): Promise<void> {
  if (!instance.obj_attr_is_set('info_cache')) await instance.obj_load_attr('info_cache');
  if (instance.info_cache) instance.info_cache.network_info = networkInfo;
}
