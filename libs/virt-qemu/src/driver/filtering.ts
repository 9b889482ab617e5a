/**
 * The firewall half of the driver: an instance's security group rules and the provider rules,
 * read through VirtAPI's release-1 raw calls, rendered to its nftables table and loaded with nft.
 * Which instances are filtered (and for which addresses and groups) is kept in a small file under
 * the state path, so refreshes after a compute restart reach the tables loaded before it.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequestContext } from '@novakit/objects';
import type { LegacySecurityGroupRule, VirtAPI } from '@novakit/virt-driver';
import { z } from 'zod';
import type { NftFirewall } from '../firewall/nft.js';
import { renderRule, type SecurityGroupRule } from '../firewall/render.js';
import { hostTag } from '../guest/instance-dir.js';

const FilterSchema = z.object({ name: z.string(), addresses: z.array(z.string()), groupIds: z.array(z.number()) });
type Filter = z.infer<typeof FilterSchema>;
const StateSchema = z.record(z.string(), FilterSchema);

const PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

/** A rule we can render, or null for one we cannot honour (a source group, a bad field). */
function toRule(rule: { protocol: string | null; from_port: number | null; to_port: number | null; cidr: string | null }): SecurityGroupRule | null {
  const protocol = rule.protocol === null ? null : rule.protocol.toLowerCase();
  if (protocol !== null && !PROTOCOLS.has(protocol)) return null;
  const out = { protocol: protocol as SecurityGroupRule['protocol'], fromPort: rule.from_port, toPort: rule.to_port, cidr: rule.cidr };
  try {
    renderRule(out);
    return out;
  } catch {
    return null;
  }
}

function groupRule(rule: LegacySecurityGroupRule): SecurityGroupRule | null {
  // Traffic from another group's members needs their addresses, which no release-1 call gives:
  // such a rule is left out, so its traffic stays dropped rather than opened to anyone.
  if (rule.cidr === null && rule.group_id !== null) return null;
  return toRule(rule);
}

export class InstanceFiltering {
  private filters: Record<string, Filter> | undefined;
  private readonly stateFile: string;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly nft: NftFirewall,
    private readonly virtapi: VirtAPI,
    statePath: string,
    hostName: string,
  ) {
    this.stateFile = join(statePath, `.firewall-${hostTag(hostName)}.json`);
  }

  async load(): Promise<void> {
    const text = await readFile(this.stateFile, 'utf8').catch(() => '{}');
    const parsed = StateSchema.safeParse(JSON.parse(text));
    this.filters = parsed.success ? parsed.data : {};
  }

  isFiltered(uuid: string): boolean {
    return this.filters?.[uuid] !== undefined;
  }

  /** Whether the instance's table is in the kernel (not only in our bookkeeping). */
  async tableLoaded(uuid: string): Promise<boolean> {
    const filter = (await this.state())[uuid];
    return filter !== undefined && (await this.nft.hasTable(filter.name));
  }

  /** Read the instance's groups, their rules and the provider rules; load its table. */
  async apply(ctx: RequestContext, instance: { uuid: string; name: string }, addresses: readonly string[]): Promise<void> {
    const groups = await this.virtapi.security_group_get_by_instance(ctx, instance.uuid);
    const rules: SecurityGroupRule[] = [];
    for (const group of groups) {
      for (const rule of await this.virtapi.security_group_rule_get_by_security_group(ctx, group.id)) {
        const r = groupRule(rule);
        if (r) rules.push(r);
      }
    }
    const blocked = (await this.virtapi.provider_fw_rule_get_all(ctx)).map(toRule).filter((r): r is SecurityGroupRule => r !== null);
    await this.nft.apply({ instanceName: instance.name, addresses: [...addresses], rules, blocked });
    await this.save(instance.uuid, { name: instance.name, addresses: [...addresses], groupIds: groups.map((g) => g.id) });
  }

  /** Re-apply an instance's rules if it is filtered here; a refresh never filters a new instance. */
  async refreshInstance(ctx: RequestContext, uuid: string): Promise<void> {
    const filter = (await this.state())[uuid];
    if (filter) await this.apply(ctx, { uuid, name: filter.name }, filter.addresses);
  }

  async refreshGroup(ctx: RequestContext, groupId: number): Promise<void> {
    for (const [uuid, filter] of Object.entries(await this.state())) {
      if (filter.groupIds.includes(groupId)) await this.apply(ctx, { uuid, name: filter.name }, filter.addresses);
    }
  }

  /** Drop the instance's table. Idempotent. */
  async remove(instance: { uuid: string; name: string }): Promise<void> {
    await this.nft.remove(instance.name);
    await this.save(instance.uuid, undefined);
  }

  private async state(): Promise<Record<string, Filter>> {
    if (!this.filters) await this.load();
    return this.filters!;
  }

  /** Writes are serialised: two instances filtered at once must both end up in the file. */
  private save(uuid: string, filter: Filter | undefined): Promise<void> {
    const write = async () => {
      const next = { ...(await this.state()) };
      if (filter) next[uuid] = filter;
      else if (uuid in next) delete next[uuid];
      else return;
      const tmp = `${this.stateFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
      await rename(tmp, this.stateFile);
      this.filters = next;
    };
    const done = this.writes.then(write);
    this.writes = done.catch(() => {});
    return done;
  }
}
