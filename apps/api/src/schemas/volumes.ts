import { z } from 'zod';
import { uuid } from './common.js';

export const VolumeSchema = z.object({
  id: z.string(),
  status: z.string(),
  size: z.number(),
  availabilityZone: z.string(),
  createdAt: z.string(),
  /** Nova's os-volumes shape: `[{}]` when the volume is not attached. */
  attachments: z.array(z.object({ id: z.string().optional(), volumeId: z.string().optional(), serverId: z.string().optional(), device: z.string().nullable().optional() })),
  displayName: z.string().nullable(),
  displayDescription: z.string().nullable(),
  volumeType: z.string().nullable(),
  snapshotId: z.string().nullable(),
  metadata: z.record(z.string(), z.string()),
});
export const VolumeShowSchema = z.object({ volume: VolumeSchema });
export const VolumeListSchema = z.object({ volumes: z.array(VolumeSchema) });

export const VolumeCreateBodySchema = z.strictObject({
  volume: z.strictObject({
    size: z.number().int().min(1),
    display_name: z.string().trim().min(1).max(255).nullable().optional(),
    display_description: z.string().max(255).nullable().optional(),
    metadata: z.record(z.string().min(1).max(255), z.string().max(255)).optional(),
  }),
});

export const AttachmentSchema = z.object({ id: z.string(), serverId: z.string(), volumeId: z.string(), device: z.string().nullable() });
export const AttachmentShowSchema = z.object({ volumeAttachment: AttachmentSchema });
export const AttachmentListSchema = z.object({ volumeAttachments: z.array(AttachmentSchema) });
export const AttachBodySchema = z.strictObject({
  volumeAttachment: z.strictObject({
    volumeId: uuid(),
    /** Absent or null: the compute picks the next free name. */
    device: z
      .string()
      .regex(/^\/dev\/[a-z]{2,4}[a-z]$/, 'a device path such as /dev/vdb')
      .nullable()
      .optional(),
  }),
});
export const AttachmentParams = z.strictObject({ server_id: z.string().min(1).max(255), volume_id: z.string().min(1).max(255) });
