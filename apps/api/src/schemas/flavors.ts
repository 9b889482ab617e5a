import { z } from 'zod';
import { LinksSchema, queryBool, queryInt, SortDirSchema } from './common.js';

export const FlavorCreateBodySchema = z.strictObject({
  flavor: z.strictObject({
    name: z.string().trim().min(1).max(255),
    /** Absent or null: a new UUID (Nova's auto id). */
    id: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[\w. -]+$/, 'letters, digits, ".", "_", "-" and spaces')
      .nullable()
      .optional(),
    ram: z.number().int().min(1).max(2 ** 31 - 1),
    vcpus: z.number().int().min(1).max(2 ** 31 - 1),
    disk: z.number().int().min(0).max(2 ** 31 - 1),
    'OS-FLV-EXT-DATA:ephemeral': z.number().int().min(0).max(2 ** 31 - 1).optional(),
    swap: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    rxtx_factor: z.number().positive().max(3.40282e38).optional(),
    'os-flavor-access:is_public': z.boolean().optional(),
  }),
});

export const FlavorSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  ram: z.number(),
  vcpus: z.number(),
  disk: z.number(),
  'OS-FLV-EXT-DATA:ephemeral': z.number(),
  swap: z.union([z.number(), z.literal('')]),
  rxtx_factor: z.number(),
  'os-flavor-access:is_public': z.boolean(),
  'OS-FLV-DISABLED:disabled': z.boolean(),
  links: LinksSchema,
});
export const FlavorShowSchema = z.object({ flavor: FlavorSchema });
export const FlavorListSchema = z.object({ flavors: z.array(z.object({ id: z.string(), name: z.string().nullable(), links: LinksSchema })) });
export const FlavorDetailListSchema = z.object({ flavors: z.array(FlavorSchema) });

export const FlavorListQuerySchema = z.strictObject({
  minRam: queryInt(0, 2 ** 31 - 1).optional(),
  minDisk: queryInt(0, 2 ** 31 - 1).optional(),
  is_public: z.union([queryBool(), z.literal('none')]).optional(),
  limit: queryInt(1, 1000).optional(),
  marker: z.string().min(1).max(255).optional(),
  sort_key: z.enum(['flavorid', 'name', 'memory_mb', 'vcpus', 'root_gb', 'created_at']).optional(),
  sort_dir: SortDirSchema.optional(),
});
