import type { RequestContext } from '@novakit/objects';
import type { LegacyProviderFwRule, LegacySecurityGroupRule, VirtAPI } from '@novakit/virt-driver';

/** The rules in force for one instance, as the host's firewall holds them. */
export interface FakeFilter {
  readonly groupIds: readonly number[];
  readonly rules: readonly LegacySecurityGroupRule[];
  readonly providerRules: readonly LegacyProviderFwRule[];
  /** How many times the rules were (re)loaded; refreshes bump it. */
  readonly generation: number;
}

/** Release 1: group membership, rules and provider rules come from VirtAPI's raw calls. */
export async function loadFilter(virtapi: VirtAPI, ctx: RequestContext, instanceUuid: string, previous?: FakeFilter): Promise<FakeFilter> {
  const groups = await virtapi.security_group_get_by_instance(ctx, instanceUuid);
  const rules: LegacySecurityGroupRule[] = [];
  for (const group of groups) rules.push(...(await virtapi.security_group_rule_get_by_security_group(ctx, group.id)));
  const providerRules = await virtapi.provider_fw_rule_get_all(ctx);
  return { groupIds: groups.map((g) => g.id), rules, providerRules, generation: (previous?.generation ?? 0) + 1 };
}
