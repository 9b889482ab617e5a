// How servers look to people: a table row, and a show.
import { fields, table } from '../output/output.js';

export interface ServerJson {
  id: string;
  name: string | null;
  status: string;
  'OS-EXT-STS:task_state': string | null;
  'OS-EXT-STS:vm_state': string | null;
  'OS-EXT-STS:power_state': number;
  'OS-EXT-SRV-ATTR:host': string | null;
  flavor: { id: string };
  image: { id: string } | '';
  addresses: Record<string, { addr: string; 'OS-EXT-IPS-MAC:mac_addr': string | null }[]>;
  'os-extended-volumes:volumes_attached': { id: string }[];
  security_groups: { name: string }[];
  created: string | null;
  progress: number;
  fault?: { code: number; message: string };
}

const POWER = ['NOSTATE', 'RUNNING', '', 'PAUSED', 'SHUTDOWN', '', 'CRASHED', 'SUSPENDED'];
export const powerName = (p: number): string => POWER[p] || String(p);

function networks(s: ServerJson): string {
  return Object.entries(s.addresses)
    .map(([net, ips]) => `${net}=${ips.map((i) => i.addr).join(',') || '-'}`)
    .join('; ');
}

export function serverTable(servers: readonly ServerJson[]): string {
  return table(
    ['ID', 'Name', 'Status', 'Task', 'Power', 'Host', 'Networks'],
    servers.map((s) => [s.id, s.name, s.status, s['OS-EXT-STS:task_state'] ?? '', powerName(s['OS-EXT-STS:power_state']), s['OS-EXT-SRV-ATTR:host'] ?? '', networks(s)]),
  );
}

export function serverFields(s: ServerJson): string {
  return fields([
    ['id', s.id],
    ['name', s.name],
    ['status', s.status],
    ['task_state', s['OS-EXT-STS:task_state']],
    ['vm_state', s['OS-EXT-STS:vm_state']],
    ['power_state', powerName(s['OS-EXT-STS:power_state'])],
    ['host', s['OS-EXT-SRV-ATTR:host']],
    ['flavor', s.flavor.id],
    ['image', s.image === '' ? '' : s.image.id],
    ['networks', networks(s)],
    ['volumes', s['os-extended-volumes:volumes_attached'].map((v) => v.id).join(', ')],
    ['security_groups', s.security_groups.map((g) => g.name).join(', ')],
    ['created', s.created],
    ...(s.fault ? ([['fault', `${s.fault.code} ${s.fault.message}`]] as const) : []),
  ]);
}
