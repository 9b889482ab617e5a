// Release 1 calls of the lifecycle work items (destroy, get_info, device naming, network
// constraints, inject_file): the driver gets a LegacyInstanceDict, root device names go back
// through the conductor's raw instance_update (Icehouse's run_instance path). Converting one
// of these items changes its function here and the contract, nothing else in the manager.
import { PowerState, type BlockDeviceMapping, type Instance, type RequestContext } from '@novakit/objects';
import {
  InstanceNotFound,
  legacyInstanceDict,
  type BlockDeviceInfo,
  type BlockDeviceLists,
  type DhcpOption,
  type ImageMeta,
  type MigrateData,
  type NetworkInfo,
} from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';

/** Work item destroy. */
export async function driverDestroy(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { networkInfo: NetworkInfo; blockDeviceInfo: BlockDeviceInfo; destroyDisks: boolean; migrateData?: MigrateData | null },
): Promise<void> {
  await env.driver.destroy(ctx, legacyInstanceDict(instance), args);
}

/** Work item get_info: the hypervisor's power state, NOSTATE when it does not know the instance (Nova's _get_power_state). */
export async function driverPowerState(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<PowerState> {
  try {
    return (await env.driver.getInfo(ctx, legacyInstanceDict(instance))).state;
  } catch (e) {
    if (e instanceof InstanceNotFound) return PowerState.NOSTATE;
    throw e;
  }
}

/** Work items macs_for_instance and dhcp_options_for_instance: constraints for the network allocation. */
export async function driverNetworkConstraints(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<{ macs: ReadonlySet<string> | null; dhcpOptions: DhcpOption[] | null }> {
  const dict = legacyInstanceDict(instance);
  return { macs: await env.driver.macsForInstance(ctx, dict), dhcpOptions: await env.driver.dhcpOptionsForInstance(ctx, dict) };
}

/**
 * Work items default_root_device_name and default_device_names_for_instance. The root name
 * is written with the raw instance_update (Icehouse); the instance object is then refreshed
 * so the rest of the build sees it. Drivers without naming fall back to `fallbackName`.
 */
export async function driverDefaultDeviceNames(
  env: ManagerEnv,
  ctx: RequestContext,
  instance: Instance,
  args: { imageMeta: ImageMeta; rootBdm: BlockDeviceMapping | null; lists: BlockDeviceLists; fallbackRootName: string },
): Promise<boolean> {
  if (!env.driver.capabilities.supportsDeviceNaming) {
    if (!instance.root_device_name) {
      await env.conductor.instance_update(ctx, instance.uuid, { root_device_name: args.fallbackRootName });
      await instance.refresh();
    }
    return false;
  }
  const dict = legacyInstanceDict(instance);
  if (!instance.root_device_name) {
    const root = await env.driver.defaultRootDeviceName(ctx, dict, { imageMeta: args.imageMeta, rootBdm: args.rootBdm });
    await env.conductor.instance_update(ctx, instance.uuid, { root_device_name: root });
    await instance.refresh();
  }
  await env.driver.defaultDeviceNamesForInstance(ctx, legacyInstanceDict(instance), { rootDeviceName: instance.root_device_name!, lists: args.lists });
  return true;
}

/** Work item inject_file: files the build asked for, written by the guest agent after boot. */
export async function driverInjectFiles(env: ManagerEnv, ctx: RequestContext, instance: Instance, files: readonly (readonly [string, string])[]): Promise<void> {
  if (files.length === 0 || !env.driver.capabilities.supportsInjectFile) return;
  const dict = legacyInstanceDict(instance);
  for (const [path, contents] of files) await env.driver.injectFile(ctx, dict, { path, contents });
}
