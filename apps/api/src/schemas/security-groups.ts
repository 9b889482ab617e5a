import { z } from 'zod';

export const SecurityGroupRuleSchema = z.object({
  id: z.number(),
  parent_group_id: z.number(),
  ip_protocol: z.string().nullable(),
  from_port: z.number().nullable(),
  to_port: z.number().nullable(),
  ip_range: z.object({ cidr: z.string().optional() }),
  group: z.object({ name: z.string().nullable().optional(), tenant_id: z.string().nullable().optional() }),
});

export const SecurityGroupSchema = z.object({
  id: z.number(),
  name: z.string().nullable(),
  description: z.string().nullable(),
  tenant_id: z.string().nullable(),
  rules: z.array(SecurityGroupRuleSchema),
});

export const SecurityGroupShowSchema = z.object({ security_group: SecurityGroupSchema });
export const SecurityGroupListSchema = z.object({ security_groups: z.array(SecurityGroupSchema) });
export const SecurityGroupRuleShowSchema = z.object({ security_group_rule: SecurityGroupRuleSchema });

export const SecurityGroupCreateBodySchema = z.strictObject({
  security_group: z.strictObject({
    name: z.string().trim().min(1).max(255),
    description: z.string().max(255).default(''),
  }),
});

const port = z.number().int().min(-1).max(65535);

export const SecurityGroupRuleCreateBodySchema = z.strictObject({
  security_group_rule: z
    .strictObject({
      parent_group_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'an integer id').transform(Number)]),
      ip_protocol: z.enum(['tcp', 'udp', 'icmp', 'TCP', 'UDP', 'ICMP']).transform((p) => p.toLowerCase()),
      from_port: port,
      to_port: port,
      cidr: z.cidrv4().or(z.cidrv6()).optional(),
      group_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'an integer id').transform(Number)]).optional(),
    })
    .refine((r) => !(r.cidr && r.group_id), { message: 'give cidr or group_id, not both', path: ['cidr'] })
    .refine((r) => r.ip_protocol === 'icmp' || (r.from_port >= 1 && r.to_port >= r.from_port), {
      message: 'tcp/udp ports must be 1-65535 with from_port <= to_port',
      path: ['from_port'],
    }),
});
