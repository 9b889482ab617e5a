import { z } from 'zod';
import { nullableTimestamp } from './common.js';

/** Nova 2.23's server migration; the byte counters stay null until a compute records them. */
export const ServerMigrationSchema = z.object({
  id: z.number(),
  server_uuid: z.string().nullable(),
  source_compute: z.string().nullable(),
  source_node: z.string().nullable(),
  dest_compute: z.string().nullable(),
  dest_node: z.string().nullable(),
  dest_host: z.string().nullable(),
  status: z.string().nullable(),
  created_at: nullableTimestamp(),
  updated_at: nullableTimestamp(),
  memory_total_bytes: z.number().nullable(),
  memory_processed_bytes: z.number().nullable(),
  memory_remaining_bytes: z.number().nullable(),
  disk_total_bytes: z.number().nullable(),
  disk_processed_bytes: z.number().nullable(),
  disk_remaining_bytes: z.number().nullable(),
});
export const ServerMigrationListSchema = z.object({ migrations: z.array(ServerMigrationSchema) });
