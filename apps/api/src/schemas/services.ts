import { z } from 'zod';
import { nullableTimestamp } from './common.js';

export const ServiceSchema = z.object({
  id: z.number(),
  binary: z.string().nullable(),
  host: z.string().nullable(),
  zone: z.string(),
  status: z.enum(['enabled', 'disabled']),
  state: z.enum(['up', 'down']),
  updated_at: nullableTimestamp(),
  disabled_reason: z.string().nullable(),
  forced_down: z.boolean(),
});
export const ServiceListSchema = z.object({ services: z.array(ServiceSchema) });
export const ServiceListQuerySchema = z.strictObject({ host: z.string().min(1).max(255).optional(), binary: z.string().min(1).max(255).optional() });

const target = { host: z.string().min(1).max(255), binary: z.string().min(1).max(255) };
export const ServiceToggleBodySchema = z.strictObject(target);
export const ServiceDisableReasonBodySchema = z.strictObject({ ...target, disabled_reason: z.string().trim().min(1).max(255) });
export const ServiceToggledSchema = z.object({
  service: z.object({ host: z.string(), binary: z.string(), status: z.enum(['enabled', 'disabled']), disabled_reason: z.string().optional() }),
});
