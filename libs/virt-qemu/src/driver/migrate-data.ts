/**
 * What this driver adds to Nova's free-form migrate_data, validated where it is read (it crossed
 * RPC from another host): the source's instance record for the destination (`qemu_source`), and
 * the destination's listeners for the source (`migration_uri`, `qemu_nbd`, `qemu_mirror_sync`).
 * Also the CPU description live-migration checks compare.
 */
import { arch, cpus } from 'node:os';
import type { MigrateData } from '@novakit/virt-driver';
import { MigrationError, MigrationPreCheckError } from '@novakit/virt-driver';
import { z } from 'zod';
import { InstanceRecordSchema } from '../guest/instance-dir.js';
import type { IncomingEndpoint } from '../migration/destination.js';
import type { MigrationSourceInfo } from '../migration/source.js';

const SourceSchema = z.object({ record: InstanceRecordSchema, rootDiskSizeBytes: z.number().int().nonnegative() });

const EndpointSchema = z.object({
  migration_uri: z.string().regex(/^tcp:/),
  qemu_nbd: z.object({ host: z.string(), port: z.number().int(), exportName: z.string() }).nullable().optional(),
  qemu_mirror_sync: z.enum(['full', 'top']).nullable().optional(),
});

export function sourceData(info: MigrationSourceInfo): MigrateData {
  return { qemu_source: info };
}

export function readSource(data: MigrateData): MigrationSourceInfo {
  const parsed = SourceSchema.safeParse(data.qemu_source);
  if (!parsed.success) throw new MigrationError({ reason: `migrate_data lacks a valid qemu_source: ${z.prettifyError(parsed.error)}` });
  return parsed.data;
}

export function endpointData(endpoint: IncomingEndpoint, destinationHost: string): MigrateData {
  return { migration_uri: endpoint.uri, qemu_nbd: endpoint.nbd ?? null, qemu_mirror_sync: endpoint.mirrorSync ?? null, qemu_destination_host: destinationHost };
}

/** The destination's listeners, or undefined when pre_live_migration's result is not there. */
export function readEndpoint(data: MigrateData): IncomingEndpoint | undefined {
  const parsed = EndpointSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const { migration_uri: uri, qemu_nbd: nbd, qemu_mirror_sync: mirrorSync } = parsed.data;
  return { uri, ...(nbd ? { nbd } : {}), ...(mirrorSync ? { mirrorSync } : {}) };
}

/** Every guest runs QEMU's default CPU model, so hosts differ only by architecture and accelerator. */
const GUEST_CPU_MODEL = 'qemu64';

export function cpuInfo(accel: string): string {
  const host = cpus();
  return JSON.stringify({
    arch: arch() === 'x64' ? 'x86_64' : arch(),
    model: GUEST_CPU_MODEL,
    vendor: host[0]?.model.split(' ')[0] ?? 'unknown',
    accel,
    topology: { sockets: 1, cores: host.length, threads: 1 },
    features: [],
  });
}

/** MigrationPreCheckError unless a guest of the source can run here. */
export function assertCpuCompatible(source: unknown, own: string): void {
  if (typeof source !== 'string' || source === '') return;
  let src: { arch?: unknown; model?: unknown; accel?: unknown };
  try {
    src = JSON.parse(source);
  } catch {
    throw new MigrationPreCheckError({ reason: 'source cpu_info is not JSON' });
  }
  const here = JSON.parse(own) as { arch: string; model: string; accel: string };
  if (src.arch !== here.arch) throw new MigrationPreCheckError({ reason: `source CPU architecture ${String(src.arch)} is not ${here.arch}` });
  if (src.model !== undefined && src.model !== here.model) throw new MigrationPreCheckError({ reason: `source guest CPU model ${String(src.model)} is not ${here.model}` });
  if (src.accel !== undefined && src.accel !== here.accel) throw new MigrationPreCheckError({ reason: `source runs guests with ${String(src.accel)}, this host with ${here.accel}` });
}
