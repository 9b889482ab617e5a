// `novakit flavor …`.
import type { Command } from 'commander';
import { table } from '../output/output.js';
import { contextFor, intOption, type CliDeps } from './context.js';

interface FlavorJson {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
  'OS-FLV-EXT-DATA:ephemeral': number;
  swap: number | '';
  'os-flavor-access:is_public': boolean;
}

export function registerFlavorCommands(program: Command, deps: CliDeps): void {
  const cx = contextFor(deps);

  const flavor = program.command('flavor').description('flavors (server sizes)');
  const flavorRow = (f: FlavorJson) => [f.id, f.name, f.ram, f.vcpus, f.disk, f['OS-FLV-EXT-DATA:ephemeral'], f.swap, f['os-flavor-access:is_public']];
  const FLAVOR_COLUMNS = ['ID', 'Name', 'RAM (MB)', 'vCPUs', 'Disk (GB)', 'Ephemeral', 'Swap', 'Public'];
  flavor
    .command('list')
    .description('list flavors')
    .action(async (_o: unknown, cmd: Command) => {
      const c = cx(cmd);
      const { flavors } = await (await c.client()).get<{ flavors: FlavorJson[] }>('/v2.1/flavors/detail');
      // People read sizes smallest first (the API sorts by id, as text).
      const bySize = [...flavors].sort((a, b) => a.ram - b.ram || a.vcpus - b.vcpus || a.id.localeCompare(b.id));
      c.print(() => table(FLAVOR_COLUMNS, bySize.map(flavorRow)), flavors);
    });
  flavor
    .command('create <name>')
    .description('create a flavor (admin)')
    .requiredOption('--ram <mb>', 'memory in MB')
    .requiredOption('--vcpus <n>', 'virtual CPUs')
    .requiredOption('--disk <gb>', 'root disk in GB (0: none)')
    .option('--id <id>', 'flavor id (default: a new UUID)')
    .option('--ephemeral <gb>', 'ephemeral disk in GB')
    .option('--swap <mb>', 'swap in MB')
    .option('--private', 'not public')
    .action(async (name: string, o: { ram: string; vcpus: string; disk: string; id?: string; ephemeral?: string; swap?: string; private?: boolean }, cmd: Command) => {
      const c = cx(cmd);
      const body = {
        flavor: {
          name,
          ram: intOption('ram', o.ram)!,
          vcpus: intOption('vcpus', o.vcpus)!,
          disk: intOption('disk', o.disk, 0)!,
          ...(o.id ? { id: o.id } : {}),
          ...(o.ephemeral ? { 'OS-FLV-EXT-DATA:ephemeral': intOption('ephemeral', o.ephemeral, 0)! } : {}),
          ...(o.swap ? { swap: intOption('swap', o.swap, 0)! } : {}),
          ...(o.private ? { 'os-flavor-access:is_public': false } : {}),
        },
      };
      const { flavor: f } = await (await c.client()).post<{ flavor: FlavorJson }>('/v2.1/flavors', body);
      c.print(() => table(FLAVOR_COLUMNS, [flavorRow(f)]), f);
    });
}
