// The VirtAPI drivers get (Nova's ComputeVirtAPI): in release 1 its raw methods forward to
// the conductor's legacy methods, so a driver's write-back reaches the database without it
// holding anything but this object.
import type { Instance, RequestContext } from '@novakit/objects';
import type { LegacyBlockDeviceMapping, LegacyProviderFwRule, LegacyRow, LegacySecurityGroup, LegacySecurityGroupRule, VirtAPI } from '@novakit/virt-driver';
import type { ConductorLegacyApi } from '../ports.js';

export interface InstanceEventWaiter {
  wait<T>(instance: Instance, eventNames: readonly string[], deadlineSeconds: number, body: () => Promise<T>): Promise<T>;
}

/** No external event source exists in this deployment (no network service): the body runs and nothing is awaited. */
export const NO_EXTERNAL_EVENTS: InstanceEventWaiter = { wait: (_instance, _names, _deadline, body) => body() };

export class ComputeVirtAPI implements VirtAPI {
  constructor(
    private readonly conductor: ConductorLegacyApi,
    private readonly events: InstanceEventWaiter = NO_EXTERNAL_EVENTS,
  ) {}

  async instance_update(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>): Promise<[LegacyRow, LegacyRow]> {
    const [before, after] = await this.conductor.instance_update_and_get_original(ctx, instanceUuid, updates);
    return [before, after];
  }

  async block_device_mapping_get_all_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacyBlockDeviceMapping[]> {
    return (await this.conductor.block_device_mapping_get_all_by_instance(ctx, instanceUuid)) as unknown as LegacyBlockDeviceMapping[];
  }

  async security_group_get_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacySecurityGroup[]> {
    return (await this.conductor.security_group_get_by_instance(ctx, instanceUuid)) as unknown as LegacySecurityGroup[];
  }

  async security_group_rule_get_by_security_group(ctx: RequestContext, securityGroupId: number): Promise<LegacySecurityGroupRule[]> {
    return (await this.conductor.security_group_rule_get_by_security_group(ctx, securityGroupId)) as unknown as LegacySecurityGroupRule[];
  }

  async provider_fw_rule_get_all(ctx: RequestContext): Promise<LegacyProviderFwRule[]> {
    return (await this.conductor.provider_fw_rule_get_all(ctx)) as unknown as LegacyProviderFwRule[];
  }

  waitForInstanceEvent<T>(instance: Instance, eventNames: readonly string[], deadlineSeconds: number, body: () => Promise<T>): Promise<T> {
    return this.events.wait(instance, eventNames, deadlineSeconds, body);
  }
}
