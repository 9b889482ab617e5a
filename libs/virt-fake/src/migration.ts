import { PowerState, type RequestContext } from '@novakit/objects';
import {
  BlockMigrationDisabled,
  InvalidLocalStorage,
  InvalidSharedStorage,
  MigrationError,
  MigrationPreCheckError,
  type BlockDeviceInfo,
  type ComputeInfo,
  type LegacyInstanceDict,
  type LiveMigrationCallback,
  type MigrateData,
  type MigrationProgress,
  type NetworkInfo,
} from '@novakit/virt-driver';
import { newGuest, type InstanceFacts } from './guest.js';
import type { FakeHypervisor } from './hypervisor.js';
import type { FakeHypervisorNetwork } from './network.js';
import type { FakeScenario } from './scenario.js';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function assertCpuCompatible(hv: FakeHypervisor, cpuInfo: unknown): void {
  if (typeof cpuInfo !== 'string' || cpuInfo === '') return;
  let src: { arch?: unknown; features?: unknown };
  try {
    src = JSON.parse(cpuInfo);
  } catch {
    throw new MigrationPreCheckError({ reason: 'source cpu_info is not JSON' });
  }
  const own = hv.hardware.cpu;
  if (src.arch !== own.arch) throw new MigrationPreCheckError({ reason: `source CPU architecture ${String(src.arch)} is not ${own.arch}` });
  const missing = (Array.isArray(src.features) ? src.features : []).filter((f) => !own.features.includes(String(f)));
  if (missing.length) throw new MigrationPreCheckError({ reason: `destination CPU lacks ${missing.join(', ')}` });
}

export function checkDestination(
  hv: FakeHypervisor,
  facts: InstanceFacts,
  args: { srcComputeInfo: ComputeInfo; blockMigration: boolean; diskOverCommit: boolean },
): MigrateData {
  assertCpuCompatible(hv, args.srcComputeInfo.cpu_info);
  if (facts.memoryMb > hv.freeMemoryMb()) throw new MigrationPreCheckError({ reason: `${hv.host} has ${hv.freeMemoryMb()} MB free, the instance needs ${facts.memoryMb} MB` });
  const needGb = facts.rootGb + facts.ephemeralGb;
  if (args.blockMigration && !args.diskOverCommit && needGb > hv.freeDiskGb()) {
    throw new MigrationPreCheckError({ reason: `${hv.host} has ${hv.freeDiskGb()} GB free disk, the instance needs ${needGb} GB` });
  }
  return {
    filename: hv.storage.createProbe(),
    image_type: 'fake',
    block_migration: args.blockMigration,
    disk_over_commit: args.diskOverCommit,
    disk_available_mb: hv.freeDiskGb() * 1024,
    destination_host: hv.host,
  };
}

export function checkSource(hv: FakeHypervisor, facts: InstanceFacts, dest: MigrateData, blockMigrationSupported: boolean): MigrateData {
  if (!hv.guests.has(facts.uuid)) throw new MigrationPreCheckError({ reason: `instance ${facts.uuid} is not on ${hv.host}` });
  const shared = hv.storage.hasProbe(dest.filename);
  const block = dest.block_migration === true;
  const pool = `storage pool ${hv.storage.id}`;
  if (block && shared) throw new InvalidSharedStorage({ path: pool, reason: 'block migration was asked between hosts sharing instance storage' });
  if (block && !blockMigrationSupported) throw new BlockMigrationDisabled({ host: hv.host });
  const withoutLocalDisk = dest.is_volume_backed === true && facts.ephemeralGb === 0;
  if (!block && !shared && !withoutLocalDisk) {
    throw new InvalidLocalStorage({ path: pool, reason: 'live migration without block migration needs shared instance storage or a volume-backed instance without local disks' });
  }
  return { ...dest, block_migration: block, is_shared_instance_path: shared, is_shared_block_storage: shared, source_host: hv.host };
}

export function startReceiver(
  hv: FakeHypervisor,
  facts: InstanceFacts,
  args: { blockDeviceInfo: BlockDeviceInfo; networkInfo: NetworkInfo; migrateData: MigrateData; rootDevice: string },
): MigrateData {
  if (hv.guests.has(facts.uuid)) throw new MigrationError({ reason: `instance ${facts.uuid} already runs on ${hv.host}` });
  const receiver = newGuest(facts, { rootDevice: args.rootDevice, blockDeviceInfo: args.blockDeviceInfo, networkInfo: args.networkInfo, power: PowerState.PAUSED });
  if (args.migrateData.is_shared_instance_path !== true && receiver.localGb > 0) hv.storage.disks.set(facts.uuid, receiver.localGb);
  hv.incoming.set(facts.uuid, receiver);
  hv.plug(facts.uuid, args.networkInfo);
  return { migration_uri: `fake://${hv.host}/${facts.uuid}`, receiver_host: hv.host };
}

export interface TransferArgs {
  readonly dest: string;
  readonly postMethod: LiveMigrationCallback;
  readonly recoverMethod: LiveMigrationCallback;
  readonly blockMigration: boolean;
  readonly migrateData: MigrateData;
  readonly onProgress?: (progress: MigrationProgress) => void;
}

/**
 * The source side of a live migration: stream the guest in `progressSteps` steps to the
 * receiver pre_live_migration started on `dest`, then switch over: the guest leaves this
 * host and runs there. Any failure (no receiver, receiver gone, injected) leaves the guest
 * running here and calls recoverMethod; success calls postMethod.
 */
export async function transfer(
  ctx: RequestContext,
  instance: LegacyInstanceDict,
  env: { hv: FakeHypervisor; network: FakeHypervisorNetwork; scenario: FakeScenario; progressSteps: number; stepDelayMs: number; now: () => Date },
  args: TransferArgs,
): Promise<void> {
  const { hv, network, scenario } = env;
  const uuid = instance.uuid;
  const callback = (fn: LiveMigrationCallback) => fn(ctx, instance, args.dest, args.blockMigration, args.migrateData);
  const guest = hv.guests.get(uuid);
  const destHv = network.find(args.dest);
  const receiver = destHv?.incoming.get(uuid);
  if (!guest || !destHv || !receiver) return callback(args.recoverMethod);
  const failure = scenario.migrationFailureAt('transfer');
  if (failure) scenario.consumeMigrationFailure();
  const failAfter = failure ? (failure.afterProgressReports ?? 0) : Infinity;
  const total = guest.facts.memoryMb * MiB + (args.blockMigration ? guest.localGb * 1024 * MiB : 0);
  const steps = Math.max(1, env.progressSteps);
  for (let step = 1; step <= steps; step++) {
    if (step > failAfter) return callback(args.recoverMethod);
    if (env.stepDelayMs > 0) await sleep(env.stepDelayMs);
    if (destHv.incoming.get(uuid) !== receiver || hv.guests.get(uuid) !== guest) return callback(args.recoverMethod);
    const transferredBytes = Math.round((total * step) / steps);
    args.onProgress?.({ transferredBytes, remainingBytes: total - transferredBytes, totalBytes: total });
  }
  if (failure && failAfter >= steps) return callback(args.recoverMethod);
  hv.guests.delete(uuid);
  hv.emit({ instanceUuid: uuid, transition: 'stopped', timestamp: env.now() });
  destHv.incoming.delete(uuid);
  destHv.guests.set(uuid, { ...guest, mounts: new Map(guest.mounts), power: PowerState.RUNNING });
  destHv.emit({ instanceUuid: uuid, transition: 'resumed', timestamp: env.now() });
  return callback(args.postMethod);
}
