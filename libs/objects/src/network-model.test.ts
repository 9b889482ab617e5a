import { describe, expect, it } from 'vitest';
import { NetworkInfoSchema, SAMPLE_NETWORK_INFO, vifFixedIps, vifFloatingIps } from './network-model.js';

describe('the network model', () => {
  it('accepts a Neutron-style VIF and keeps keys it does not model', () => {
    const vif = {
      ...SAMPLE_NETWORK_INFO[0]!,
      ovs_interfaceid: 'a3c1e6d2',
      details: { port_filter: true },
      binding: { future: 'key' },
    };
    const parsed = NetworkInfoSchema.parse([vif]);
    expect(parsed[0]!.binding).toEqual({ future: 'key' });
    expect(parsed[0]!.devname).toBe('tap8a2c3b1e-0d');
  });

  it('finds fixed and floating IPs across subnets', () => {
    const info = structuredClone(SAMPLE_NETWORK_INFO);
    info[0]!.network!.subnets![0]!.ips![0]!.floating_ips = [{ address: '172.24.4.88', type: 'floating', version: 4 }];
    info[0]!.network!.subnets!.push({ cidr: '2001:db8::/64', ips: [{ address: '2001:db8::5', type: 'fixed', version: 6 }] });
    expect(vifFixedIps(info[0]!).map((ip) => ip.address)).toEqual(['10.0.0.5', '2001:db8::5']);
    expect(vifFloatingIps(info[0]!).map((ip) => ip.address)).toEqual(['172.24.4.88']);
  });

  it('refuses a bad MAC, a bad address and a bad CIDR, saying where', () => {
    const bad = (mutate: (v: any) => void) => {
      const info = structuredClone(SAMPLE_NETWORK_INFO) as any[];
      mutate(info[0]);
      return NetworkInfoSchema.safeParse(info);
    };
    expect(bad((v) => (v.address = 'not-a-mac')).success).toBe(false);
    expect(bad((v) => (v.network.subnets[0].ips[0].address = '10.0.0.999')).error!.issues[0]!.path).toEqual([0, 'network', 'subnets', 0, 'ips', 0, 'address']);
    expect(bad((v) => (v.network.subnets[0].cidr = '10.0.0.0/99')).success).toBe(false);
  });
});
