/**
 * get_diagnostics (Nova's free-form counters, libvirt's key names) and get_instance_diagnostics
 * (the typed form) from what the guest layer collects. User-mode NICs have no counters QEMU
 * reports, so NICs appear with their MAC only (zeros in the typed form, absent from the counters).
 */
import { POWER_STATE_NAMES } from '@novakit/objects';
import type { Diagnostics } from '@novakit/virt-driver';
import type { GuestDiagnostics } from '../guest/diagnostics.js';
import { toPowerState } from './power-state.js';

const dev = (device: string) => device.replace(/^\/dev\//, '');

export function legacyDiagnostics(d: GuestDiagnostics): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const cpu of d.vcpus) out[`cpu${cpu.index}_time`] = cpu.timeNs ?? 0;
  out.memory = d.memoryMb * 1024;
  if (d.rssBytes !== undefined) out['memory-rss'] = Math.round(d.rssBytes / 1024);
  for (const disk of d.disks) {
    const id = dev(disk.device);
    out[`${id}_read`] = disk.readBytes;
    out[`${id}_read_req`] = disk.readOps;
    out[`${id}_write`] = disk.writeBytes;
    out[`${id}_write_req`] = disk.writeOps;
    out[`${id}_errors`] = disk.errors;
  }
  return out;
}

export function typedDiagnostics(d: GuestDiagnostics): Diagnostics {
  return {
    state: POWER_STATE_NAMES[toPowerState(d.state)],
    driver: 'qemu',
    hypervisorOs: 'linux',
    uptimeSeconds: d.uptimeS ?? 0,
    configDrive: false,
    cpuDetails: d.vcpus.map((cpu) => ({ time: cpu.timeNs ?? 0 })),
    nicDetails: d.nics.map((nic) => ({ macAddress: nic.mac, rxOctets: 0, rxPackets: 0, txOctets: 0, txPackets: 0 })),
    diskDetails: d.disks.map((disk) => ({
      id: dev(disk.device),
      readBytes: disk.readBytes,
      readRequests: disk.readOps,
      writeBytes: disk.writeBytes,
      writeRequests: disk.writeOps,
      errorsCount: disk.errors,
    })),
    memoryDetails: { maximumMb: d.memoryMb, usedMb: d.memoryMb },
    version: '1.0',
  };
}
