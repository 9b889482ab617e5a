/**
 * Nova's power states from what we can observe. Without a process, the record's intended state
 * decides between "shut down on purpose", "suspended to disk" and "crashed".
 */
import type { IntendedPowerState } from './instance-dir.js';

export type PowerState = 'running' | 'paused' | 'shutdown' | 'crashed' | 'suspended' | 'nostate';

export interface GuestState {
  power: PowerState;
  /** QEMU's own run state (query-status), when a QEMU runs. */
  qemuStatus?: string;
  pid?: number;
}

const BY_QEMU_STATUS: Record<string, PowerState> = {
  running: 'running',
  colo: 'running',
  paused: 'paused',
  prelaunch: 'paused',
  debug: 'paused',
  inmigrate: 'paused',
  postmigrate: 'paused',
  'finish-migrate': 'paused',
  'restore-vm': 'paused',
  'save-vm': 'paused',
  suspended: 'suspended', // guest-initiated S3, as libvirt's PMSUSPENDED
  shutdown: 'shutdown',
  'internal-error': 'crashed',
  'io-error': 'crashed',
  'guest-panicked': 'crashed',
  watchdog: 'crashed',
};

export function powerStateFromQemu(status: string): PowerState {
  return BY_QEMU_STATUS[status] ?? 'nostate';
}

export function powerStateWithoutProcess(intended: IntendedPowerState): PowerState {
  if (intended === 'suspended') return 'suspended';
  if (intended === 'shutoff') return 'shutdown';
  return 'crashed';
}
