// terminate_instance (Nova's _delete_instance / _shutdown_instance): destroy on the
// hypervisor, forget volume mappings and the network, then soft-delete the record.
import { BlockDeviceMappingList, DELETABLE_TASK_STATES, PowerState, TaskState, VmState, type Instance, type RequestContext } from '@novakit/objects';
import { legacyBlockDeviceInfo } from '../../legacy/block-device-info.js';
import { driverDestroy } from '../../legacy/lifecycle.js';
import { driverVolumeConnector } from '../../legacy/volumes.js';
import type { ManagerEnv } from '../env.js';
import { networkInfoOf } from '../instance-data.js';
import { setNetworkInfo } from '../network.js';
import { instanceOperation } from '../operation.js';

export async function terminateInstance(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(
    env,
    ctx,
    instance,
    { event: 'compute_terminate_instance', action: 'delete', taskState: TaskState.DELETING, claimFrom: DELETABLE_TASK_STATES, vmStateOnError: VmState.ERROR },
    async (scope) => {
      const networkInfo = await networkInfoOf(instance);
      const blockDeviceInfo = await legacyBlockDeviceInfo(env, ctx, instance.uuid, instance.root_device_name);
      await driverDestroy(env, ctx, instance, { networkInfo, blockDeviceInfo, destroyDisks: true });
      const bdms = await BlockDeviceMappingList.getByInstanceUuid(ctx, instance.uuid);
      if (bdms.volumeBdms().length > 0) {
        // Nova terminates each volume's export for this host; the stand-in volume service needs only the log.
        const connector = await driverVolumeConnector(env, ctx, instance);
        scope.log.info({ connector_host: connector.host, volumes: bdms.volumeBdms().map((b) => b.volume_id) }, 'volume connections terminated');
      }
      for (const bdm of bdms.objects) await bdm.destroy();
      await setNetworkInfo(instance, []);
      await scope.step(null, (i) => {
        i.vm_state = VmState.DELETED;
        i.power_state = PowerState.NOSTATE;
        i.terminated_at = new Date();
      });
      await instance.destroy();
      env.usageChanged();
    },
  );
}
