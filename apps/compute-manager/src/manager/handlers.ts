// The compute RPC endpoint's handlers: each message's instance is checked against the
// database (an unknown uuid is InstanceNotFound) and against this host (InstanceNotOnHost),
// then handed to its operation family. Errors go back typed; the RPC server logs each once.
import { InstanceNotOnHost, type ComputeRpcHandlers } from '@novakit/compute-api';
import { Instance, type RequestContext } from '@novakit/objects';
import { ComputeShuttingDown } from '../errors.js';
import { getConsoleOutput, getDiagnostics, getInstanceDiagnostics } from './diagnostics.js';
import type { ManagerEnv } from './env.js';
import { buildAndRunInstance } from './lifecycle/build.js';
import { terminateInstance } from './lifecycle/terminate.js';
import { checkCanLiveMigrateDestination, checkCanLiveMigrateSource, checkInstanceSharedStorage } from './live-migration/checks.js';
import { postLiveMigrationAtDestination, preLiveMigration, rollbackLiveMigrationAtDestination } from './live-migration/destination.js';
import { liveMigration } from './live-migration/source.js';
import { injectNetworkInfo, refreshInstanceSecurityRules, resetNetwork } from './networking.js';
import { pauseInstance, rebootInstance, resumeInstance, startInstance, stopInstance, suspendInstance, unpauseInstance } from './power.js';
import { attachVolume, detachVolume, removeVolumeConnection, reserveBlockDeviceName } from './volumes.js';

/** Who may receive a message about an instance: its host, or (for these) a peer in a migration. */
type Where = 'owner' | 'peer' | 'build';

/**
 * The instance as the database has it now (the message's copy may be stale or forged), after
 * checking that this host is the right one for the message.
 */
async function resolve(env: ManagerEnv, ctx: RequestContext, sent: Instance, where: Where): Promise<Instance> {
  if (!env.inflight.accepting) throw new ComputeShuttingDown({ host: env.host });
  const instance = await Instance.getByUuid(ctx, sent.uuid, { expectedAttrs: ['info_cache', 'security_groups', 'metadata', 'system_metadata'] });
  const ok = where === 'peer' || instance.host === env.host || (where === 'build' && instance.host === null);
  if (!ok) throw new InstanceNotOnHost({ instance_uuid: instance.uuid, host: env.host, instance_host: instance.host });
  return instance;
}

export function computeHandlers(env: ManagerEnv): ComputeRpcHandlers {
  return {
    buildAndRunInstance: async (ctx, a) => buildAndRunInstance(env, ctx, await resolve(env, ctx, a.instance, 'build'), a),
    terminateInstance: async (ctx, a) => terminateInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    rebootInstance: async (ctx, a) => rebootInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.reboot_type),
    stopInstance: async (ctx, a) => stopInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.clean_shutdown),
    startInstance: async (ctx, a) => startInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    pauseInstance: async (ctx, a) => pauseInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    unpauseInstance: async (ctx, a) => unpauseInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    suspendInstance: async (ctx, a) => suspendInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    resumeInstance: async (ctx, a) => resumeInstance(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    reserveBlockDeviceName: async (ctx, a) => reserveBlockDeviceName(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a),
    attachVolume: async (ctx, a) => attachVolume(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.bdm),
    detachVolume: async (ctx, a) => detachVolume(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.volume_id),
    removeVolumeConnection: async (ctx, a) => removeVolumeConnection(env, ctx, await resolve(env, ctx, a.instance, 'peer'), a.volume_id),
    getDiagnostics: async (ctx, a) => getDiagnostics(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    getInstanceDiagnostics: async (ctx, a) => getInstanceDiagnostics(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    getConsoleOutput: async (ctx, a) => getConsoleOutput(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.tail_length ?? null),
    injectNetworkInfo: async (ctx, a) => injectNetworkInfo(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    resetNetwork: async (ctx, a) => resetNetwork(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    refreshInstanceSecurityRules: async (ctx, a) => refreshInstanceSecurityRules(env, ctx, await resolve(env, ctx, a.instance, 'owner')),
    checkCanLiveMigrateDestination: async (ctx, a) => checkCanLiveMigrateDestination(env, ctx, await resolve(env, ctx, a.instance, 'peer'), a.block_migration, a.disk_over_commit),
    checkCanLiveMigrateSource: async (ctx, a) => checkCanLiveMigrateSource(env, ctx, await resolve(env, ctx, a.instance, 'owner'), a.dest_check_data),
    preLiveMigration: async (ctx, a) => preLiveMigration(env, ctx, await resolve(env, ctx, a.instance, 'peer'), { disk: a.disk ?? null, migrateData: a.migrate_data }),
    liveMigration: async (ctx, a) =>
      liveMigration(env, ctx, await resolve(env, ctx, a.instance, 'owner'), { dest: a.dest, blockMigration: a.block_migration, migrateData: a.migrate_data, migrationId: a.migration_id ?? null }),
    postLiveMigrationAtDestination: async (ctx, a) => postLiveMigrationAtDestination(env, ctx, await resolve(env, ctx, a.instance, 'peer'), a.block_migration),
    rollbackLiveMigrationAtDestination: async (ctx, a) =>
      rollbackLiveMigrationAtDestination(env, ctx, await resolve(env, ctx, a.instance, 'peer'), a.destroy_disks, a.migrate_data ?? null),
    checkInstanceSharedStorage: async (ctx, a) => checkInstanceSharedStorage(env, ctx, await resolve(env, ctx, a.instance, 'peer'), a.data),
  };
}
