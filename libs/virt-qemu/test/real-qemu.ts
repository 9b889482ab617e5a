/**
 * Shared setup of the real-QEMU suites: probe the binaries once, skip with a printed reason when
 * they are missing (fail instead under NOVAKIT_REQUIRE_SERVICES=1), and make sure every QEMU a
 * suite started is gone afterwards, whatever the tests did.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { probeQemu, QemuHost, type QemuHostOptions } from '../src/index.js';
import { runCommand } from '../src/host/run-command.js';

const qemu = await probeQemu();
const qemuImg = await runCommand('qemu-img', ['--version']).then(() => true, () => false);
/** Why real-QEMU suites cannot run here, or undefined. */
export const missing = !qemu.available ? `qemu-system-x86_64 unavailable (${qemu.reason})` : !qemuImg ? 'qemu-img unavailable' : undefined;

/** `describe` for suites that run real QEMU. */
export function describeWithQemu(name: string, body: () => void): void {
  if (!missing) {
    describe(name, body);
  } else if (process.env.NOVAKIT_REQUIRE_SERVICES === '1') {
    describe(name, () => {
      it('needs QEMU', () => {
        throw new Error(`${missing} and NOVAKIT_REQUIRE_SERVICES=1`);
      });
    });
  } else {
    console.log(`skipping "${name}": ${missing}`);
    describe.skip(name, body);
  }
}

/** Small timeouts: there is no guest OS to wait for. */
export const TEST_TIMEOUTS = { cleanShutdownMs: 300, terminateMs: 3000, unplugMs: 5000, spawnMs: 20_000, commandMs: 20_000, connectMs: 2000 };

export class RealHosts {
  private readonly dirs: string[] = [];
  private readonly hosts: QemuHost[] = [];

  tempDir(prefix = 'vq-real-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  host(options: Partial<QemuHostOptions> & { hostName: string }): QemuHost {
    const host = new QemuHost({ statePath: options.statePath ?? this.tempDir(), timeouts: TEST_TIMEOUTS, ...options });
    this.hosts.push(host);
    return host;
  }

  /** Terminate every guest of every host, then SIGKILL anything a pidfile still names. */
  async dispose(): Promise<void> {
    for (const host of this.hosts) {
      for (const record of await host.listRecords().catch(() => [])) {
        await (await host.guest(record.config.uuid)).terminate().catch(() => {});
      }
      host.detachAll();
    }
    for (const dir of this.dirs) {
      for (const pidFile of findPidFiles(dir)) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        try {
          if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function findPidFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findPidFiles(path));
    else if (entry.name.endsWith('.pid')) out.push(path);
  }
  return out;
}

export function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** SIGKILL every QEMU whose command line mentions `marker` (a suite's temp directory prefix). */
export function killStrayQemus(marker: string): number {
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (/qemu-system/.test(cmdline.split('\0')[0] ?? '') && cmdline.includes(marker)) {
        process.kill(Number(entry), 'SIGKILL');
        killed++;
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return killed;
}
