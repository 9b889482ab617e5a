/**
 * File-backed volumes as Cinder would describe them to a compute: connection_info
 * `{driver_volume_type: 'file', data: {path | device_path, format?, serial?}}`. Other types
 * are VolumeDriverNotSupported, a malformed one InvalidConnectionInfo.
 */
import { z } from 'zod';
import { InvalidConnectionInfo, VolumeDriverNotSupported } from '../errors.js';

export interface FileVolume {
  path: string;
  format?: 'raw' | 'qcow2';
  serial?: string;
  readOnly?: boolean;
}

const FileConnectionInfo = z.object({
  driver_volume_type: z.string(),
  serial: z.string().optional(),
  data: z.looseObject({
    path: z.string().min(1).optional(),
    device_path: z.string().min(1).optional(),
    format: z.enum(['raw', 'qcow2']).optional(),
    volume_id: z.string().optional(),
    access_mode: z.enum(['rw', 'ro']).optional(),
  }),
});

export function fileVolumeFromConnectionInfo(connectionInfo: unknown): FileVolume {
  const parsed = FileConnectionInfo.safeParse(connectionInfo);
  if (!parsed.success) throw new InvalidConnectionInfo({ reason: z.prettifyError(parsed.error) });
  const { driver_volume_type: type, data, serial } = parsed.data;
  if (type !== 'file') throw new VolumeDriverNotSupported({ driverVolumeType: type });
  const path = data.path ?? data.device_path;
  if (!path) throw new InvalidConnectionInfo({ reason: 'data.path is missing' });
  return { path, format: data.format, serial: serial ?? data.volume_id, readOnly: data.access_mode === 'ro' };
}
