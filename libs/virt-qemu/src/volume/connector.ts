/**
 * get_volume_connector: what this host tells a volume service so it can export a volume to it.
 * File volumes need no initiator; the host name and an address identify the host.
 */
import { networkInterfaces } from 'node:os';

export interface VolumeConnector {
  host: string;
  ip: string;
  platform: string;
  os_type: string;
  multipath: boolean;
  /** Volume types this host can attach. */
  supported_volume_types: string[];
}

/** The first non-internal IPv4 address, else loopback (an all-in-one host). */
export function primaryAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export function volumeConnector(hostName: string, ip = primaryAddress()): VolumeConnector {
  return { host: hostName, ip, platform: process.arch === 'x64' ? 'x86_64' : process.arch, os_type: process.platform, multipath: false, supported_volume_types: ['file'] };
}
