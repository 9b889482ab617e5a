import { z } from 'zod';

export const HypervisorSummarySchema = z.object({
  id: z.number(),
  hypervisor_hostname: z.string().nullable(),
  state: z.enum(['up', 'down']),
  status: z.enum(['enabled', 'disabled']),
});

export const HypervisorSchema = HypervisorSummarySchema.extend({
  vcpus: z.number(),
  memory_mb: z.number(),
  local_gb: z.number(),
  vcpus_used: z.number(),
  memory_mb_used: z.number(),
  local_gb_used: z.number(),
  hypervisor_type: z.string().nullable(),
  hypervisor_version: z.number(),
  free_ram_mb: z.number().nullable(),
  free_disk_gb: z.number().nullable(),
  current_workload: z.number().nullable(),
  running_vms: z.number().nullable(),
  disk_available_least: z.number().nullable(),
  host_ip: z.string().nullable(),
  cpu_info: z.string().nullable(),
  service: z.object({ id: z.number(), host: z.string().nullable(), disabled_reason: z.string().nullable() }),
});

export const HypervisorListSchema = z.object({ hypervisors: z.array(HypervisorSummarySchema) });
export const HypervisorDetailListSchema = z.object({ hypervisors: z.array(HypervisorSchema) });
export const HypervisorShowSchema = z.object({ hypervisor: HypervisorSchema });
