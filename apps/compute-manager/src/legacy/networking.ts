// Release 1 calls of the networking and firewall work items (inject_network_info,
// reset_network, refresh_instance_security_rules, ensure_filtering_rules_for_instance,
// unfilter_instance, unplug_vifs). The driver reads security groups and rules back through
// VirtAPI's raw calls (legacy/virtapi.ts), as Icehouse's firewall drivers did.
import type { Instance, NetworkInfo, RequestContext } from '@novakit/objects';
import { legacyInstanceDict } from '@novakit/virt-driver';
import type { ManagerEnv } from '../manager/env.js';

/** Work item inject_network_info. */
export async function driverInjectNetworkInfo(env: ManagerEnv, ctx: RequestContext, instance: Instance, networkInfo: NetworkInfo): Promise<void> {
  await env.driver.injectNetworkInfo(ctx, legacyInstanceDict(instance), { networkInfo });
}

/** Work item reset_network. */
export async function driverResetNetwork(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await env.driver.resetNetwork(ctx, legacyInstanceDict(instance));
}

/**
 * Work item refresh_instance_security_rules. Icehouse's API sent the instance as a dict and
 * the manager looked up its groups raw before handing it on; the groups are returned for the log.
 */
export async function driverRefreshSecurityRules(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<string[]> {
  const groups = await env.conductor.security_group_get_by_instance(ctx, instance.uuid);
  await env.driver.refreshInstanceSecurityRules(ctx, legacyInstanceDict(instance));
  return groups.map((g) => String(g.name));
}

/** Work item ensure_filtering_rules_for_instance. */
export async function driverEnsureFiltering(env: ManagerEnv, ctx: RequestContext, instance: Instance, networkInfo: NetworkInfo): Promise<void> {
  await env.driver.ensureFilteringRulesForInstance(ctx, legacyInstanceDict(instance), { networkInfo });
}

/** Work item unfilter_instance. */
export async function driverUnfilter(env: ManagerEnv, ctx: RequestContext, instance: Instance, networkInfo: NetworkInfo): Promise<void> {
  await env.driver.unfilterInstance(ctx, legacyInstanceDict(instance), { networkInfo });
}

/** Work item unplug_vifs. */
export async function driverUnplugVifs(env: ManagerEnv, ctx: RequestContext, instance: Instance, networkInfo: NetworkInfo): Promise<void> {
  await env.driver.unplugVifs(ctx, legacyInstanceDict(instance), { networkInfo });
}
