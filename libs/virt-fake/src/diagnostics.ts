import { POWER_STATE_NAMES } from '@novakit/objects';
import type { Diagnostics, DiskDiagnostics } from '@novakit/virt-driver';
import type { FakeGuest } from './guest.js';

// Fixed counters, as Nova's fake: diagnostics prove the shape, not the traffic.
const DISK = { readBytes: 262144, readRequests: 112, writeBytes: 5778432, writeRequests: 488, errorsCount: 0 };
const NIC = { rxOctets: 2070139, rxPackets: 26701, txOctets: 140208, txPackets: 662 };

function diskIds(guest: FakeGuest): string[] {
  return [...new Set([guest.rootDevice, ...guest.disks.keys(), ...guest.mounts.keys()])].map((d) => d.replace(/^\/dev\//, ''));
}

export function legacyDiagnostics(guest: FakeGuest): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < guest.facts.vcpus; i++) out[`cpu${i}_time`] = guest.cpuTimeNs;
  out.memory = guest.facts.memoryMb * 1024;
  out['memory-actual'] = guest.facts.memoryMb * 1024;
  for (const id of diskIds(guest)) {
    out[`${id}_read`] = DISK.readBytes;
    out[`${id}_read_req`] = DISK.readRequests;
    out[`${id}_write`] = DISK.writeBytes;
    out[`${id}_write_req`] = DISK.writeRequests;
    out[`${id}_errors`] = DISK.errorsCount;
  }
  for (const nic of guest.nics) {
    out[`${nic.devname}_rx`] = NIC.rxOctets;
    out[`${nic.devname}_rx_packets`] = NIC.rxPackets;
    out[`${nic.devname}_tx`] = NIC.txOctets;
    out[`${nic.devname}_tx_packets`] = NIC.txPackets;
  }
  return out;
}

export function typedDiagnostics(guest: FakeGuest, now: Date): Diagnostics {
  const disks: DiskDiagnostics[] = diskIds(guest).map((id) => ({ id, ...DISK }));
  return {
    state: POWER_STATE_NAMES[guest.power],
    driver: 'fake',
    hypervisorOs: 'fake-os',
    uptimeSeconds: guest.startedAt ? Math.max(0, Math.floor((now.getTime() - guest.startedAt.getTime()) / 1000)) : 0,
    configDrive: guest.facts.configDrive,
    cpuDetails: Array.from({ length: guest.facts.vcpus }, () => ({ time: guest.cpuTimeNs })),
    nicDetails: guest.nics.map((nic) => ({ macAddress: nic.mac, ...NIC })),
    diskDetails: disks,
    memoryDetails: { maximumMb: guest.facts.memoryMb, usedMb: guest.facts.memoryMb },
    version: '1.0',
  };
}
