import { describe, expect, it } from 'vitest';
import { NftFirewall } from './nft.js';
import { renderInstanceRuleset, renderRule, tableName, type SecurityGroupRule } from './render.js';

const rule = (r: Partial<SecurityGroupRule>): SecurityGroupRule => ({ protocol: 'tcp', fromPort: 22, toPort: 22, cidr: '10.0.0.0/8', ...r });

describe('renderRule', () => {
  it('renders tcp/udp port ranges and single ports', () => {
    expect(renderRule(rule({}))).toEqual(['ip saddr 10.0.0.0/8 meta l4proto tcp tcp dport 22 accept']);
    expect(renderRule(rule({ protocol: 'udp', fromPort: 5000, toPort: 5010, cidr: '2001:db8::/32' }))).toEqual([
      'ip6 saddr 2001:db8::/32 meta l4proto udp udp dport 5000-5010 accept',
    ]);
  });

  it('renders icmp type/code with -1 as any', () => {
    expect(renderRule(rule({ protocol: 'icmp', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0' }))).toEqual(['ip saddr 0.0.0.0/0 meta l4proto icmp accept']);
    expect(renderRule(rule({ protocol: 'icmp', fromPort: 8, toPort: 0, cidr: null }))).toEqual(['meta nfproto ipv4 meta l4proto icmp icmp type 8 icmp code 0 accept']);
  });

  it('applies a rule without CIDR and protocol to both families', () => {
    expect(renderRule({ protocol: null, fromPort: null, toPort: null, cidr: null })).toEqual(['meta nfproto ipv4 accept', 'meta nfproto ipv6 accept']);
  });

  it('rejects bad input with InvalidSecurityGroupRule', () => {
    for (const bad of [rule({ cidr: '10.0.0.0/33' }), rule({ cidr: 'nope' }), rule({ fromPort: 80, toPort: 22 }), rule({ toPort: 70000 }), rule({ protocol: 'icmp', cidr: '::/0' })]) {
      expect(() => renderRule(bad)).toThrow(expect.objectContaining({ name: 'InvalidSecurityGroupRule' }));
    }
  });
});

describe('renderInstanceRuleset', () => {
  const ruleset = renderInstanceRuleset({ instanceName: 'instance-0000000a', addresses: ['10.0.0.5', 'fd00::5'], rules: [rule({})] });

  it('is one table per instance that replaces itself atomically', () => {
    expect(tableName('instance-0000000a')).toBe('novakit-instance-0000000a');
    expect(ruleset.split('\n').slice(0, 3)).toEqual([
      'table inet novakit-instance-0000000a',
      'delete table inet novakit-instance-0000000a',
      'table inet novakit-instance-0000000a {',
    ]);
    expect(ruleset).toContain('ip daddr { 10.0.0.5 } jump instance');
    expect(ruleset).toContain('ip6 daddr { fd00::5 } jump instance');
    expect(ruleset).toMatch(/ct state established,related accept[\s\S]*accept\n {4}drop\n/);
  });

  it('is accepted by nft -c when nft is usable', async (ctx) => {
    const nft = new NftFirewall();
    if (!(await nft.available())) {
      console.log('skipping nft check: nft is not available or not permitted here');
      if (process.env.NOVAKIT_REQUIRE_SERVICES === '1') throw new Error('nft is required (NOVAKIT_REQUIRE_SERVICES=1)');
      return ctx.skip();
    }
    await expect(nft.check(ruleset)).resolves.toBeUndefined();
  });

  it('does not touch the host unless configured to manage the firewall', async () => {
    const nft = new NftFirewall({ binary: '/nonexistent/nft', manage: false });
    await expect(nft.apply({ instanceName: 'x', addresses: [], rules: [] })).resolves.toBe('skipped');
    await expect(new NftFirewall({ binary: '/nonexistent/nft', manage: true }).available()).resolves.toBe(false);
  });
});

describe('provider rules', () => {
  it('drop before the group rules accept', () => {
    const ruleset = renderInstanceRuleset({ instanceName: 'i-1', addresses: ['10.0.0.5'], rules: [rule({})], blocked: [rule({ fromPort: 25, toPort: 25, cidr: '0.0.0.0/0' })] });
    const drop = ruleset.indexOf('ip saddr 0.0.0.0/0 meta l4proto tcp tcp dport 25 drop');
    expect(drop).toBeGreaterThan(0);
    expect(drop).toBeLessThan(ruleset.indexOf('tcp dport 22 accept'));
  });
});
