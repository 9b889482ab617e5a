/** A QemuDriver over the fakes (fake QEMU processes and monitors, fake qemu-img), in a temp state path. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VirtAPI } from '@novakit/virt-driver';
import type { QemuDriverOptions } from '../driver/options.js';
import { QemuDriver } from '../driver/qemu-driver.js';
import { FakeImageTool } from './fake-images.js';
import { FakeQemu } from './fake-qemu.js';

export interface FakeQemuDriverHandle {
  driver: QemuDriver;
  qemu: FakeQemu;
  statePath: string;
  /** Drop the driver's connections, kill its fake QEMUs, remove a state path it created. */
  dispose(): void;
}

export function createFakeQemuDriver(
  options: { host: string; virtapi: VirtAPI; qemu?: FakeQemu } & Partial<Omit<QemuDriverOptions, 'host' | 'virtapi'>>,
): FakeQemuDriverHandle {
  const { qemu = new FakeQemu(), ...rest } = options;
  const statePath = options.statePath ?? mkdtempSync(join(tmpdir(), 'vq-driver-'));
  const driver = new QemuDriver({
    hostIp: '127.0.0.1',
    accel: 'tcg',
    launcher: qemu,
    processes: qemu,
    images: new FakeImageTool(),
    probe: async () => ({ available: true, version: '7.2.22', versionNumber: 7_002_022 }),
    softRebootTimeoutS: 0.05,
    cleanShutdownTimeoutS: 0.05,
    timeouts: { cleanShutdownMs: 50, terminateMs: 200, unplugMs: 200, spawnMs: 2000, commandMs: 2000, connectMs: 500 },
    migration: { bindAddress: '127.0.0.1', timeoutS: 10 },
    ...rest,
    statePath,
  });
  return {
    driver,
    qemu,
    statePath,
    dispose() {
      driver.qemuHost.detachAll();
      qemu.killAll();
      if (!options.statePath) rmSync(statePath, { recursive: true, force: true });
    },
  };
}
