/**
 * Host capacity for get_available_resource: memory from /proc/meminfo, cores from the
 * scheduler's view, disk from statfs of the state path (where instance disks live).
 */
import { statfs } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';

export interface HostResources {
  vcpus: number;
  memoryMb: number;
  /** MemAvailable: what new guests can still get without swapping. */
  memoryMbAvailable: number;
  diskGb: number;
  diskGbAvailable: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export function parseMeminfo(text: string): { totalKb: number; availableKb: number } {
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text)?.[1] ?? NaN);
  const totalKb = field('MemTotal');
  const available = field('MemAvailable');
  // Kernels before 3.14 lack MemAvailable; free + cached is the classic estimate.
  const availableKb = Number.isNaN(available) ? field('MemFree') + field('Cached') : available;
  return { totalKb, availableKb };
}

export async function readHostResources(statePath: string): Promise<HostResources> {
  const mem = parseMeminfo(await readFile('/proc/meminfo', 'utf8'));
  const fs = await statfs(statePath);
  return {
    vcpus: availableParallelism(),
    memoryMb: Math.floor((mem.totalKb * 1024) / MIB),
    memoryMbAvailable: Math.floor((mem.availableKb * 1024) / MIB),
    diskGb: Math.floor((fs.blocks * fs.bsize) / GIB),
    diskGbAvailable: Math.floor((fs.bavail * fs.bsize) / GIB),
  };
}
