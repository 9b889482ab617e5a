/** A QemuHost wired to the fakes, in a fresh temp state path. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuHost, type QemuHostOptions } from '../host/host.js';
import { FakeImageTool } from './fake-images.js';
import { FakeQemu } from './fake-qemu.js';

export interface FakeHostHandle {
  host: QemuHost;
  qemu: FakeQemu;
  statePath: string;
  /** Kill every fake QEMU and remove the state path. */
  dispose(): void;
}

export function createFakeHost(options: Partial<QemuHostOptions> = {}, qemu = new FakeQemu()): FakeHostHandle {
  const statePath = options.statePath ?? mkdtempSync(join(tmpdir(), 'vq-fake-'));
  const host = new QemuHost({
    hostName: 'fake-host',
    accel: 'tcg',
    launcher: qemu,
    processes: qemu,
    images: new FakeImageTool(),
    timeouts: { cleanShutdownMs: 50, terminateMs: 200, unplugMs: 200, spawnMs: 2000, commandMs: 2000, connectMs: 500 },
    ...options,
    statePath,
  });
  return {
    host,
    qemu,
    statePath,
    dispose() {
      host.detachAll();
      qemu.killAll();
      if (!options.statePath) rmSync(statePath, { recursive: true, force: true });
    },
  };
}
