// build_and_run_instance as a task object (Nova Juno's _build_and_run_instance and
// _build_resources): claim the instance for this host, allocate its network, name and
// record its block devices, spawn, then mark it active. A failure undoes what was done
// (destroy on the hypervisor, network deallocated) and leaves the instance in ERROR.
import type { ComputeArgs } from '@novakit/compute-api';
import { BlockDeviceMapping, TaskState, VmState, type Instance, type RequestContext } from '@novakit/objects';
import type { ImageMeta } from '@novakit/virt-driver';
import type { Logger } from 'pino';
import { legacyBlockDeviceInfo } from '../../legacy/block-device-info.js';
import { driverDefaultDeviceNames, driverDestroy, driverInjectFiles, driverNetworkConstraints, driverPowerState } from '../../legacy/lifecycle.js';
import { driverEnsureFiltering } from '../../legacy/networking.js';
import type { ManagerEnv } from '../env.js';
import { blockDeviceInfoFrom } from '../instance-data.js';
import { allocateNetworkInfo, setNetworkInfo } from '../network.js';
import { instanceOperation, type OperationScope } from '../operation.js';
import { WorkflowTask } from '../task.js';

type BuildArgs = ComputeArgs<'buildAndRunInstance'>;

export function imageMetaFrom(image: BuildArgs['image']): ImageMeta {
  return {
    id: image.id,
    ...(image.name !== undefined ? { name: image.name } : {}),
    ...(image.disk_format !== undefined ? { diskFormat: image.disk_format } : {}),
    ...(image.container_format !== undefined ? { containerFormat: image.container_format } : {}),
    ...(image.min_disk !== undefined ? { minDisk: image.min_disk } : {}),
    ...(image.size !== undefined ? { size: image.size } : {}),
    properties: image.properties,
  };
}

class BuildTask extends WorkflowTask<void> {
  constructor(
    private readonly env: ManagerEnv,
    private readonly ctx: RequestContext,
    private readonly instance: Instance,
    private readonly args: BuildArgs,
    private readonly scope: OperationScope,
    log: Logger,
  ) {
    super(log);
  }

  protected async execute(): Promise<void> {
    const { env, ctx, instance, args, scope } = this;
    const imageMeta = imageMetaFrom(args.image);
    // The claim saved this host on the instance: it counts in the node's usage from now on.
    env.usageChanged();

    // Networking (task NETWORKING, claimed by the operation).
    const { macs, dhcpOptions } = await driverNetworkConstraints(env, ctx, instance);
    const networkInfo = allocateNetworkInfo(args.requested_networks, macs, dhcpOptions);
    await setNetworkInfo(instance, networkInfo);
    await instance.save();
    this.onRollback('deallocate network', async () => {
      await setNetworkInfo(instance, []);
      await instance.save();
    });

    // Block devices: record the mappings the request brought, then name them.
    await scope.step(TaskState.BLOCK_DEVICE_MAPPING);
    const bdms: BlockDeviceMapping[] = [];
    for (const given of args.block_device_mapping) {
      const bdm = given.obj_attr_is_set('id') ? given : await this.createBdm(given);
      bdms.push(bdm.obj_set_context(ctx));
    }
    const unnamed = bdms.filter((b) => !b.device_name);
    await driverDefaultDeviceNames(env, ctx, instance, {
      imageMeta,
      rootBdm: bdms.find((b) => b.isRoot) ?? null,
      lists: {
        ephemerals: unnamed.filter((b) => b.destination_type === 'local' && b.guest_format !== 'swap' && !b.isRoot),
        swap: unnamed.filter((b) => b.guest_format === 'swap'),
        volumes: unnamed.filter((b) => b.isVolume && !b.isRoot),
      },
      fallbackRootName: '/dev/vda',
    });
    await this.nameRemaining(unnamed);

    // Spawn.
    await scope.step(TaskState.SPAWNING);
    const blockDeviceInfo = blockDeviceInfoFrom(instance, bdms);
    this.onRollback('destroy on the hypervisor', async () => {
      await driverDestroy(env, ctx, instance, { networkInfo, blockDeviceInfo: await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name), destroyDisks: true });
    });
    await env.driver.spawn(ctx, instance, { imageMeta, networkInfo, blockDeviceInfo, adminPassword: args.admin_password ?? null });
    await driverInjectFiles(env, ctx, instance, args.injected_files);
    if (env.driver.capabilities.supportsFirewall) await driverEnsureFiltering(env, ctx, instance, networkInfo);

    const powerState = await driverPowerState(env, ctx, instance);
    await scope.step(null, (i) => {
      i.power_state = powerState;
      i.vm_state = VmState.ACTIVE;
      i.launched_at = new Date();
    });
  }

  private async createBdm(given: BlockDeviceMapping): Promise<BlockDeviceMapping> {
    const bdm = given.obj_clone().obj_set_context(this.ctx);
    bdm.instance_uuid = this.instance.uuid;
    await bdm.create();
    this.onRollback('forget block device mapping', () => bdm.destroy());
    return bdm;
  }

  /** Nova's compute_utils.default_device_names_for_instance, for drivers that do not name devices. */
  private async nameRemaining(bdms: readonly BlockDeviceMapping[]): Promise<void> {
    const used = new Set<string>([this.instance.root_device_name ?? '/dev/vda']);
    for (const b of bdms) if (b.device_name) used.add(b.device_name);
    const prefix = (this.instance.root_device_name ?? '/dev/vda').replace(/[a-z]$/, '');
    for (const b of bdms) {
      if (b.device_name) continue;
      if (b.isRoot) {
        b.device_name = this.instance.root_device_name;
      } else {
        let letter = 'b'.charCodeAt(0);
        while (used.has(`${prefix}${String.fromCharCode(letter)}`)) letter++;
        b.device_name = `${prefix}${String.fromCharCode(letter)}`;
      }
      used.add(b.device_name!);
      await b.save();
    }
  }
}

export async function buildAndRunInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance, args: BuildArgs): Promise<void> {
  // The claim takes the instance for this host in the same guarded save.
  instance.host = env.host;
  instance.node = args.node ?? env.nodename;
  instance.launched_on = env.host;
  instance.vm_state = VmState.BUILDING;
  await instanceOperation(
    env,
    ctx,
    instance,
    { event: 'compute_build_and_run_instance', action: 'create', taskState: TaskState.NETWORKING, claimFrom: [TaskState.SCHEDULING, null], vmStateOnError: VmState.ERROR },
    (scope) => new BuildTask(env, ctx, instance, args, scope, scope.log).run(),
  );
}
