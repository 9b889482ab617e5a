/**
 * What a guest is, as plain validated data: everything needed to build its command line, so it
 * can be stored in the instance's metadata and replayed for power-on, resume from suspend and a
 * live-migration destination (which must have the same devices, including attached volumes).
 */
import { z } from 'zod';
import { InvalidGuestConfig } from '../errors.js';
import { MAX_LUN } from './device-names.js';

const Mac = z.string().regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, 'a MAC address like 52:54:00:12:34:56');

export const NicConfigSchema = z.object({
  mac: Mac,
  /** 'user': QEMU's slirp, no host setup needed (the only mode of release 1). */
  network: z.literal('user').default('user'),
});
export type NicConfig = z.infer<typeof NicConfigSchema>;

export const VolumeConfigSchema = z.object({
  lun: z.number().int().min(1).max(MAX_LUN),
  path: z.string().min(1),
  format: z.enum(['raw', 'qcow2']),
  /** Shown to the guest as the disk serial; Nova uses the volume id. */
  serial: z.string().max(36).optional(),
  readOnly: z.boolean().default(false),
});
export type VolumeConfig = z.infer<typeof VolumeConfigSchema>;

export const GuestConfigSchema = z.object({
  uuid: z.guid(),
  /** QEMU's -name, e.g. Nova's "instance-0000002a". */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  memoryMb: z.number().int().min(16),
  vcpus: z.number().int().min(1).max(64),
  machine: z.string().default('q35'),
  accel: z.enum(['kvm', 'tcg']).default('tcg'),
  rootDisk: z.object({ path: z.string().min(1), format: z.enum(['raw', 'qcow2']) }),
  nics: z.array(NicConfigSchema).default([]),
  volumes: z.array(VolumeConfigSchema).default([]),
});
export type GuestConfig = z.infer<typeof GuestConfigSchema>;
export type GuestConfigInput = z.input<typeof GuestConfigSchema>;

export function parseGuestConfig(input: unknown): GuestConfig {
  const parsed = GuestConfigSchema.safeParse(input);
  if (!parsed.success) throw new InvalidGuestConfig({ issues: z.prettifyError(parsed.error) });
  const luns = parsed.data.volumes.map((v) => v.lun);
  if (new Set(luns).size !== luns.length) throw new InvalidGuestConfig({ issues: 'two volumes on one LUN' });
  return parsed.data;
}
