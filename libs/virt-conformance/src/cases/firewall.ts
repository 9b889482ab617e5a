import { expect } from 'vitest';
import type { CaseEnv } from '../harness.js';
import type { ConformanceCase } from './case.js';

const GROUP = 1;

/** Calls to `method` about the default group made since call number `since`. */
function ruleReads(env: CaseEnv, since: number): number {
  return env.virtapi.calls.slice(since).filter((c) => c.method === 'security_group_rule_get_by_security_group' && c.args[0] === GROUP).length;
}

export const FIREWALL_CASES: readonly ConformanceCase[] = [
  {
    title: 'firewall: rules read through VirtAPI are installed, follow both refreshes, and are removed by unfilter',
    covers: ['ensureFilteringRulesForInstance', 'refreshSecurityGroupRules', 'refreshInstanceSecurityRules', 'unfilterInstance'],
    async run(env) {
      await env.requires('supportsFirewall');
      const d = await env.host('a');
      // Filtering is installed before an instance arrives by live migration: no spawn needed.
      const ti = env.instance();
      const filtered = env.inspector.isFiltered ? () => env.inspector.isFiltered!(env.raw(d), ti.uuid) : null;
      let mark = env.virtapi.calls.length;
      await d.ensureFilteringRulesForInstance(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      expect(ruleReads(env, mark), 'rules of the default group read through VirtAPI').toBeGreaterThan(0);
      expect(env.virtapi.calls.slice(mark).some((c) => c.method === 'provider_fw_rule_get_all'), 'provider rules read').toBe(true);
      if (filtered) expect(await filtered()).toBe(true);

      env.virtapi.addSecurityGroupRule({ id: 3, parent_group_id: GROUP, protocol: 'tcp', from_port: 80, to_port: 80, cidr: '0.0.0.0/0', group_id: null });
      mark = env.virtapi.calls.length;
      await d.refreshSecurityGroupRules(env.ctx, GROUP);
      expect(ruleReads(env, mark), 'refresh_security_group_rules re-reads the group').toBeGreaterThan(0);
      mark = env.virtapi.calls.length;
      await d.refreshInstanceSecurityRules(env.ctx, ti.legacy);
      expect(ruleReads(env, mark), 'refresh_instance_security_rules re-reads the instance rules').toBeGreaterThan(0);

      await d.unfilterInstance(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      await d.unfilterInstance(env.ctx, ti.legacy, { networkInfo: ti.networkInfo });
      if (filtered) expect(await filtered()).toBe(false);
      await d.refreshSecurityGroupRules(env.ctx, GROUP);
      await d.refreshInstanceSecurityRules(env.ctx, ti.legacy);
      if (filtered) expect(await filtered(), 'a refresh does not re-filter an unfiltered instance').toBe(false);
    },
  },
];
