/**
 * What this host can run: the QEMU binary and its version, and whether KVM is usable. TCG
 * works everywhere; KVM only when /dev/kvm exists and we may open it read-write.
 */
import { accessSync, constants } from 'node:fs';
import { isVirtQemuError } from '../errors.js';
import { runCommand } from './run-command.js';

export type Accel = 'kvm' | 'tcg';

export interface QemuProbe {
  available: boolean;
  /** e.g. "7.2.22" */
  version?: string;
  /** Nova's integer form, major * 1_000_000 + minor * 1_000 + micro (7.2.22 → 7002022). */
  versionNumber?: number;
  /** Why it is unavailable. */
  reason?: string;
}

export async function probeQemu(binary = 'qemu-system-x86_64'): Promise<QemuProbe> {
  try {
    const { stdout } = await runCommand(binary, ['--version'], undefined, 10_000);
    const m = /version (\d+)\.(\d+)\.(\d+)/.exec(stdout);
    if (!m) return { available: false, reason: `unrecognised version output: ${stdout.split('\n')[0]}` };
    const [major, minor, micro] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { available: true, version: `${major}.${minor}.${micro}`, versionNumber: major * 1_000_000 + minor * 1_000 + micro };
  } catch (err) {
    return { available: false, reason: isVirtQemuError(err) ? err.message : String(err) };
  }
}

export function kvmUsable(device = '/dev/kvm'): boolean {
  try {
    accessSync(device, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** 'auto' picks KVM when usable, else TCG. */
export function resolveAccel(wanted: Accel | 'auto' = 'auto'): Accel {
  if (wanted !== 'auto') return wanted;
  return kvmUsable() ? 'kvm' : 'tcg';
}
