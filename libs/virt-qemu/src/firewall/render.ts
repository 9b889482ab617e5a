/**
 * Security group rules → an nftables ruleset, one table per instance (`inet novakit-<name>`).
 * The file first creates and deletes the table, then defines it: `nft -f` applies a file
 * atomically, so this replaces the instance's rules in one step whether the table existed or not.
 *
 * Semantics follow Nova's iptables firewall for ingress: established/related traffic passes,
 * invalid drops, provider-wide rules drop what they name, then each group rule accepts what it
 * names, everything else to the instance drops.
 * The forward hook matches the instance's addresses, so it filters routed/bridged traffic; with
 * QEMU user-mode networking guest traffic never crosses the host netfilter, so there the rules
 * are correct but have nothing to filter.
 */
import { isIP } from 'node:net';
import { InvalidSecurityGroupRule } from '../errors.js';

export interface SecurityGroupRule {
  /** null: any protocol. */
  protocol: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | null;
  /** tcp/udp: port range; icmp: from = type, to = code; -1 or null = any. */
  fromPort: number | null;
  toPort: number | null;
  /** Source network; null = anywhere. */
  cidr: string | null;
}

export interface InstanceFirewall {
  instanceName: string;
  /** The instance's fixed IPs (v4 and/or v6): traffic to these is filtered. */
  addresses: string[];
  rules: SecurityGroupRule[];
  /** Provider-wide rules (Nova's provider_fw_rules): traffic they match is dropped before the group rules. */
  blocked?: SecurityGroupRule[];
}

export function tableName(instanceName: string): string {
  return `novakit-${instanceName.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function describeRule(rule: SecurityGroupRule): string {
  return `${rule.protocol ?? 'any'} ${rule.fromPort ?? '*'}:${rule.toPort ?? '*'} from ${rule.cidr ?? 'anywhere'}`;
}

/** 4 or 6 for a valid CIDR (or bare address); InvalidSecurityGroupRule otherwise. */
function cidrFamily(rule: SecurityGroupRule): 4 | 6 | undefined {
  if (rule.cidr === null) return undefined;
  const [addr, len, extra] = rule.cidr.split('/');
  const family = isIP(addr ?? '');
  const max = family === 4 ? 32 : 128;
  if (!family || extra !== undefined || (len !== undefined && !(/^\d+$/.test(len) && Number(len) <= max))) {
    throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: `bad CIDR ${rule.cidr}` });
  }
  return family as 4 | 6;
}

function port(rule: SecurityGroupRule, value: number | null, max: number): number | undefined {
  if (value === null || value === -1) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: `${value} is out of range` });
  }
  return value;
}

/** The nft statement(s) of one rule (two when it applies to both address families). */
export function renderRule(rule: SecurityGroupRule, verdict: 'accept' | 'drop' = 'accept'): string[] {
  const family = cidrFamily(rule);
  if (rule.protocol === 'icmp' && family === 6) throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: 'icmp with an IPv6 CIDR (use icmpv6)' });
  if (rule.protocol === 'icmpv6' && family === 4) throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: 'icmpv6 with an IPv4 CIDR' });
  const families: (4 | 6)[] = family ? [family] : rule.protocol === 'icmp' ? [4] : rule.protocol === 'icmpv6' ? [6] : [4, 6];
  let match: string;
  if (rule.protocol === 'tcp' || rule.protocol === 'udp') {
    const from = port(rule, rule.fromPort, 65535);
    const to = port(rule, rule.toPort, 65535) ?? from;
    if (from !== undefined && to !== undefined && from > to) throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: 'from port above to port' });
    const ports = from === undefined ? '' : from === to ? ` ${rule.protocol} dport ${from}` : ` ${rule.protocol} dport ${from}-${to}`;
    match = `meta l4proto ${rule.protocol}${ports}`;
  } else if (rule.protocol === 'icmp' || rule.protocol === 'icmpv6') {
    const type = port(rule, rule.fromPort, 255);
    const code = type === undefined ? undefined : port(rule, rule.toPort, 255);
    const proto = rule.protocol === 'icmp' ? 'icmp' : 'ipv6-icmp';
    match = `meta l4proto ${proto}${type === undefined ? '' : ` ${rule.protocol} type ${type}`}${code === undefined ? '' : ` ${rule.protocol} code ${code}`}`;
  } else if (rule.protocol === null) {
    match = '';
  } else {
    throw new InvalidSecurityGroupRule({ rule: describeRule(rule), reason: `unknown protocol ${String(rule.protocol)}` });
  }
  return families.map((f) => {
    const source = rule.cidr === null ? `meta nfproto ${f === 4 ? 'ipv4' : 'ipv6'}` : `${f === 4 ? 'ip' : 'ip6'} saddr ${rule.cidr}`;
    return `${source}${match ? ` ${match}` : ''} ${verdict}`;
  });
}

export function renderInstanceRuleset(fw: InstanceFirewall): string {
  const table = tableName(fw.instanceName);
  const v4 = fw.addresses.filter((a) => isIP(a) === 4);
  const v6 = fw.addresses.filter((a) => isIP(a) === 6);
  const bad = fw.addresses.filter((a) => !isIP(a));
  if (bad.length) throw new InvalidSecurityGroupRule({ rule: `addresses of ${fw.instanceName}`, reason: `not IP addresses: ${bad.join(', ')}` });
  const lines = [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    '  chain instance {',
    '    ct state established,related accept',
    '    ct state invalid drop',
    ...(fw.blocked ?? []).flatMap((r) => renderRule(r, 'drop')).map((r) => `    ${r}`),
    ...fw.rules.flatMap((r) => renderRule(r)).map((r) => `    ${r}`),
    '    drop',
    '  }',
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    ...(v4.length ? [`    ip daddr { ${v4.join(', ')} } jump instance`] : []),
    ...(v6.length ? [`    ip6 daddr { ${v6.join(', ')} } jump instance`] : []),
    '  }',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** Removes the instance's table whether or not it exists (unfilter_instance). */
export function renderRemoveTable(instanceName: string): string {
  const table = tableName(instanceName);
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
