// Nova's network model (nova/network/model.py) as a zod schema: the `network_info` an
// instance's info cache holds and drivers plug VIFs from. A list of VIFs; each VIF has a
// MAC, a type, a tap device name and its network; a network has subnets; a subnet has
// DNS servers, a gateway, routes and fixed IPs; a fixed IP may carry floating IPs.
// Objects are loose: keys we do not model (Neutron binding details, new Nova keys) ride
// along untouched, so a newer peer's data survives a round trip through this code.
import { z } from 'zod';

const meta = z.record(z.string(), z.unknown());
const ipAddress = z.union([z.ipv4(), z.ipv6()]);
const cidr = z.union([z.cidrv4(), z.cidrv6()]);
const ipVersion = z.union([z.literal(4), z.literal(6)]);
const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** An address with its role: `fixed`, `floating`, `dns`, `gateway`. */
export const VifIpSchema = z.looseObject({
  address: ipAddress.nullable(),
  type: z.string().nullable().optional(),
  version: ipVersion.nullable().optional(),
  meta: meta.optional(),
});

export const VifFixedIpSchema = z.looseObject({
  ...VifIpSchema.shape,
  floating_ips: z.array(VifIpSchema).optional(),
});

export const VifRouteSchema = z.looseObject({
  cidr: cidr.nullable(),
  gateway: VifIpSchema.nullable().optional(),
  interface: z.string().nullable().optional(),
  meta: meta.optional(),
});

export const VifSubnetSchema = z.looseObject({
  cidr: cidr.nullable(),
  dns: z.array(VifIpSchema).optional(),
  gateway: VifIpSchema.nullable().optional(),
  ips: z.array(VifFixedIpSchema).optional(),
  routes: z.array(VifRouteSchema).optional(),
  version: ipVersion.nullable().optional(),
  meta: meta.optional(),
});

export const VifNetworkSchema = z.looseObject({
  id: z.string().nullable(),
  bridge: z.string().nullable().optional(),
  label: z.string().nullable().optional(),
  subnets: z.array(VifSubnetSchema).optional(),
  meta: meta.optional(),
});

/** One virtual interface: `address` is its MAC, `devname` the host-side tap device. */
export const VifSchema = z.looseObject({
  id: z.string().nullable(),
  address: z.string().regex(MAC_RE, 'not a MAC address').nullable(),
  network: VifNetworkSchema.nullable(),
  type: z.string().nullable().optional(),
  details: meta.optional(),
  devname: z.string().nullable().optional(),
  ovs_interfaceid: z.string().nullable().optional(),
  qbh_params: z.unknown().optional(),
  qbg_params: z.unknown().optional(),
  active: z.boolean().optional(),
  vnic_type: z.string().optional(),
  profile: meta.optional(),
  preserve_on_delete: z.boolean().optional(),
  meta: meta.optional(),
});

/** Nova's NetworkInfo: the VIFs of one instance, in device order. */
export const NetworkInfoSchema = z.array(VifSchema);

export type VifIp = z.infer<typeof VifIpSchema>;
export type VifFixedIp = z.infer<typeof VifFixedIpSchema>;
export type VifRoute = z.infer<typeof VifRouteSchema>;
export type VifSubnet = z.infer<typeof VifSubnetSchema>;
export type VifNetwork = z.infer<typeof VifNetworkSchema>;
export type Vif = z.infer<typeof VifSchema>;
export type NetworkInfo = z.infer<typeof NetworkInfoSchema>;

/** The fixed IPs of a VIF across its subnets (Nova's VIF.fixed_ips()). */
export function vifFixedIps(vif: Vif): VifFixedIp[] {
  return (vif.network?.subnets ?? []).flatMap((s) => s.ips ?? []);
}

/** The floating IPs attached to a VIF's fixed IPs (Nova's VIF.floating_ips()). */
export function vifFloatingIps(vif: Vif): VifIp[] {
  return vifFixedIps(vif).flatMap((ip) => ip.floating_ips ?? []);
}

/** A one-VIF model for generated tests and documentation. */
export const SAMPLE_NETWORK_INFO: NetworkInfo = [
  {
    id: '8a2c3b1e-0d4f-4e5a-9b6c-7d8e9f0a1b2c',
    address: 'fa:16:3e:00:00:01',
    type: 'bridge',
    devname: 'tap8a2c3b1e-0d',
    network: {
      id: '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      bridge: 'br100',
      label: 'private',
      subnets: [
        {
          cidr: '10.0.0.0/24',
          gateway: { address: '10.0.0.1', type: 'gateway', version: 4 },
          dns: [{ address: '10.0.0.2', type: 'dns', version: 4 }],
          ips: [{ address: '10.0.0.5', type: 'fixed', version: 4, floating_ips: [] }],
          routes: [],
          version: 4,
        },
      ],
    },
  },
];
