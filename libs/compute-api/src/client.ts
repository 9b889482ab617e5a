import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';
import { RpcClient, type ErrorRegistry, type Serializer, type Transport, type VersionCap } from '@novakit/rpc';
import type { Diagnostics, MigrateData, SharedStorageProbe } from '@novakit/virt-driver';
import { ComputeTooOld, computeErrorRegistry } from './errors.js';
import { COMPUTE_RPC_API, COMPUTE_TOPIC } from './history.js';
import { COMPUTE_METHODS, type ComputeCallArgs, type ComputeMethodName } from './methods.js';

type Args<M extends ComputeMethodName> = Omit<ComputeCallArgs<M>, 'instance'>;

export interface ComputeRpcClientOptions {
  /** The objects serializer (NovaObjectSerializer): instances travel as versioned objects. */
  readonly serializer: Serializer<RequestContext>;
  /** `COMPUTE_RPC_API.versionCap(setting, auto)`: a version, a release alias, or auto. */
  readonly versionCap?: VersionCap;
  readonly timeoutMs?: number;
  readonly errors?: ErrorRegistry;
}

/**
 * The client of `compute.<host>` (Nova's compute rpcapi). Each method picks the version it
 * needs and checks it against the cap before sending; instance-targeted methods go to the
 * instance's host.
 */
export class ComputeRpcClient {
  private readonly client: RpcClient<RequestContext>;

  constructor(transport: Transport, options: ComputeRpcClientOptions) {
    this.client = new RpcClient<RequestContext>(transport, { topic: COMPUTE_TOPIC, version: COMPUTE_RPC_API.latest }, {
      serializer: options.serializer,
      versionCap: options.versionCap,
      timeoutMs: options.timeoutMs,
      errors: options.errors ?? computeErrorRegistry(),
    });
  }

  /** The version cap in force: pinned, or learned from the live services (`auto`). */
  versionCap(): Promise<string | undefined> {
    return this.client.versionCap();
  }

  /** Forget a cap learned from the live services (after an upgrade step). */
  resetVersionCap(): void {
    this.client.resetVersionCap();
  }

  async canSend(method: ComputeMethodName): Promise<boolean> {
    return this.client.canSendVersion(COMPUTE_METHODS[method].since);
  }

  private async send<M extends ComputeMethodName>(ctx: RequestContext, host: string | null, method: M, args: ComputeCallArgs<M>, timeoutMs?: number): Promise<unknown> {
    const spec = COMPUTE_METHODS[method];
    if (!host) throw new ComputeTooOld({ host: '(none)', operation: spec.wire, needed: spec.since });
    if (!(await this.client.canSendVersion(spec.since))) throw new ComputeTooOld({ host, operation: spec.wire, needed: spec.since });
    const target = this.client.prepare({ server: host, version: spec.since, timeoutMs });
    if (spec.kind === 'cast') {
      await target.cast(ctx, spec.wire, args as Record<string, unknown>);
      return undefined;
    }
    return target.call(ctx, spec.wire, args as Record<string, unknown>);
  }

  private onInstanceHost<M extends ComputeMethodName>(ctx: RequestContext, instance: Instance, method: M, args: Args<M>, timeoutMs?: number): Promise<unknown> {
    return this.send(ctx, instance.host, method, { ...args, instance } as ComputeCallArgs<M>, timeoutMs);
  }

  async buildAndRunInstance(ctx: RequestContext, host: string, instance: Instance, args: Args<'buildAndRunInstance'>): Promise<void> {
    await this.send(ctx, host, 'buildAndRunInstance', { ...args, instance });
  }
  async terminateInstance(ctx: RequestContext, instance: Instance, args: Args<'terminateInstance'> = {}): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'terminateInstance', args);
  }
  async rebootInstance(ctx: RequestContext, instance: Instance, rebootType: 'SOFT' | 'HARD'): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'rebootInstance', { reboot_type: rebootType });
  }
  async stopInstance(ctx: RequestContext, instance: Instance, cleanShutdown = true): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'stopInstance', { clean_shutdown: cleanShutdown });
  }
  async startInstance(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'startInstance', {});
  }
  async pauseInstance(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'pauseInstance', {});
  }
  async unpauseInstance(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'unpauseInstance', {});
  }
  async suspendInstance(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'suspendInstance', {});
  }
  async resumeInstance(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'resumeInstance', {});
  }
  /** Pick (or check) a device name for a volume and record a BDM for it; returns that BDM. */
  async reserveBlockDeviceName(ctx: RequestContext, instance: Instance, args: Args<'reserveBlockDeviceName'>): Promise<BlockDeviceMapping> {
    return (await this.onInstanceHost(ctx, instance, 'reserveBlockDeviceName', args)) as BlockDeviceMapping;
  }
  async attachVolume(ctx: RequestContext, instance: Instance, bdm: BlockDeviceMapping): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'attachVolume', { bdm });
  }
  async detachVolume(ctx: RequestContext, instance: Instance, volumeId: string): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'detachVolume', { volume_id: volumeId });
  }
  async removeVolumeConnection(ctx: RequestContext, instance: Instance, volumeId: string, host: string): Promise<void> {
    await this.send(ctx, host, 'removeVolumeConnection', { instance, volume_id: volumeId });
  }
  async getDiagnostics(ctx: RequestContext, instance: Instance): Promise<Record<string, number | string>> {
    return (await this.onInstanceHost(ctx, instance, 'getDiagnostics', {})) as Record<string, number | string>;
  }
  async getInstanceDiagnostics(ctx: RequestContext, instance: Instance): Promise<Diagnostics> {
    return (await this.onInstanceHost(ctx, instance, 'getInstanceDiagnostics', {})) as Diagnostics;
  }
  async getConsoleOutput(ctx: RequestContext, instance: Instance, tailLength?: number | null): Promise<string> {
    return (await this.onInstanceHost(ctx, instance, 'getConsoleOutput', { tail_length: tailLength ?? null })) as string;
  }
  async injectNetworkInfo(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'injectNetworkInfo', {});
  }
  async resetNetwork(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'resetNetwork', {});
  }
  async refreshInstanceSecurityRules(ctx: RequestContext, instance: Instance): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'refreshInstanceSecurityRules', {});
  }
  /** Runs on the destination; a long call (the driver may probe storage). */
  async checkCanLiveMigrateDestination(ctx: RequestContext, instance: Instance, destination: string, args: Args<'checkCanLiveMigrateDestination'>): Promise<MigrateData> {
    return (await this.send(ctx, destination, 'checkCanLiveMigrateDestination', { ...args, instance })) as MigrateData;
  }
  async checkCanLiveMigrateSource(ctx: RequestContext, instance: Instance, destCheckData: MigrateData): Promise<MigrateData> {
    return (await this.onInstanceHost(ctx, instance, 'checkCanLiveMigrateSource', { dest_check_data: { ...destCheckData } })) as MigrateData;
  }
  async preLiveMigration(ctx: RequestContext, instance: Instance, host: string, args: Args<'preLiveMigration'>, timeoutMs?: number): Promise<MigrateData> {
    return (await this.send(ctx, host, 'preLiveMigration', { ...args, instance }, timeoutMs)) as MigrateData;
  }
  async liveMigration(ctx: RequestContext, instance: Instance, args: Args<'liveMigration'>): Promise<void> {
    await this.onInstanceHost(ctx, instance, 'liveMigration', args);
  }
  async postLiveMigrationAtDestination(ctx: RequestContext, instance: Instance, host: string, blockMigration: boolean): Promise<void> {
    await this.send(ctx, host, 'postLiveMigrationAtDestination', { instance, block_migration: blockMigration });
  }
  async rollbackLiveMigrationAtDestination(ctx: RequestContext, instance: Instance, host: string, args: Args<'rollbackLiveMigrationAtDestination'>): Promise<void> {
    await this.send(ctx, host, 'rollbackLiveMigrationAtDestination', { ...args, instance });
  }
  async checkInstanceSharedStorage(ctx: RequestContext, instance: Instance, host: string, probe: SharedStorageProbe): Promise<boolean> {
    return (await this.send(ctx, host, 'checkInstanceSharedStorage', { instance, data: { ...probe } })) as boolean;
  }
}
