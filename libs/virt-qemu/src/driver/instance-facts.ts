/**
 * What the driver reads of network_info: a MAC per VIF and the fixed addresses to filter (the
 * instance's own facts are @novakit/virt-driver's `instanceFacts`).
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { NetworkInfo } from '@novakit/objects';
import type { LegacyInstanceDict } from '@novakit/virt-driver';

/** A stable locally administered MAC for a VIF that has none (QEMU's 52:54:00 prefix). */
function derivedMac(uuid: string, index: number): string {
  const h = createHash('sha256').update(`${uuid}/${index}`).digest();
  return ['52', '54', '00', ...[h[0]!, h[1]!, h[2]!].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export function nicMacs(uuid: string, networkInfo: NetworkInfo): string[] {
  return networkInfo.map((vif, i) => (vif.address ?? derivedMac(uuid, i)).toLowerCase());
}

/** The fixed IPs of every VIF: the addresses an instance's filter protects. */
export function fixedAddresses(networkInfo: NetworkInfo): string[] {
  const out: string[] = [];
  for (const vif of networkInfo) {
    for (const subnet of vif.network?.subnets ?? []) {
      for (const ip of subnet.ips ?? []) if (ip.address && isIP(ip.address)) out.push(ip.address);
    }
  }
  return [...new Set(out)];
}

/** network_info of a legacy dict's info cache (a JSON string in release 1), when present. */
export function legacyNetworkInfo(instance: LegacyInstanceDict): NetworkInfo {
  const text = instance.info_cache?.network_info;
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as NetworkInfo) : [];
  } catch {
    return [];
  }
}
