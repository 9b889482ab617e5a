import { z } from 'zod';
import { nullableTimestamp } from './common.js';

export const InstanceActionSchema = z.object({
  action: z.string().nullable(),
  instance_uuid: z.string().nullable(),
  message: z.string().nullable(),
  project_id: z.string().nullable(),
  request_id: z.string().nullable(),
  start_time: nullableTimestamp(),
  user_id: z.string().nullable(),
});

export const InstanceActionEventSchema = z.object({
  event: z.string().nullable(),
  start_time: nullableTimestamp(),
  finish_time: nullableTimestamp(),
  result: z.string().nullable(),
  host: z.string().nullable(),
  /** Admins only, as Nova shows it. */
  traceback: z.string().nullable().optional(),
});

export const InstanceActionListSchema = z.object({ instanceActions: z.array(InstanceActionSchema) });
export const InstanceActionShowSchema = z.object({ instanceAction: InstanceActionSchema.extend({ events: z.array(InstanceActionEventSchema) }) });
export const InstanceActionParams = z.strictObject({ server_id: z.string().min(1).max(255), request_id: z.string().min(1).max(255) });
