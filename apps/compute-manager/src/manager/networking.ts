// The networking and firewall family: inject_network_info, reset_network and
// refresh_instance_security_rules. A driver without the capability makes these no-ops that
// are logged (Nova logs NotImplementedError and the RPC succeeds).
import type { Instance, RequestContext } from '@novakit/objects';
import { driverInjectNetworkInfo, driverRefreshSecurityRules, driverResetNetwork } from '../legacy/networking.js';
import type { ManagerEnv } from './env.js';
import { networkInfoOf } from './instance-data.js';
import { instanceOperation } from './operation.js';

export async function injectNetworkInfo(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_inject_network_info', action: 'inject_network_info' }, async (scope) => {
    if (!env.driver.capabilities.supportsInjectNetworkInfo) return scope.log.info('driver does not inject network info');
    await driverInjectNetworkInfo(env, ctx, instance, await networkInfoOf(instance));
  });
}

export async function resetNetwork(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  await instanceOperation(env, ctx, instance, { event: 'compute_reset_network', action: 'reset_network' }, async (scope) => {
    if (!env.driver.capabilities.supportsResetNetwork) return scope.log.info('driver does not reset networks');
    await driverResetNetwork(env, ctx, instance);
  });
}

/** Nova runs this without an instance action (it is an internal fan-out of a rule change); so does this. */
export async function refreshInstanceSecurityRules(env: ManagerEnv, ctx: RequestContext, instance: Instance): Promise<void> {
  const log = env.log.child({ request_id: ctx.request_id, instance_uuid: instance.uuid, op: 'refresh_instance_security_rules' });
  if (!env.driver.capabilities.supportsFirewall) return log.info('driver has no firewall');
  const groups = await env.inflight.run(() => driverRefreshSecurityRules(env, ctx, instance));
  log.info({ groups }, 'security rules refreshed');
}
