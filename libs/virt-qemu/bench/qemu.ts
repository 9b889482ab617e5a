/**
 * Benchmark of the QEMU building blocks on this host: spawn-to-running, live migration of an
 * idle 64 MB and 256 MB guest over 127.0.0.1 (shared state path, so RAM only), and the RSS of
 * an idle guest. `--json` prints exactly one JSON object on stdout.
 *
 *   npm run bench -w @novakit/virt-qemu [-- --json] [--accel tcg|kvm]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigrationTarget, finishIncoming, migrateLive, prepareIncoming, probeQemu, procfsProcesses, QemuHost } from '../src/index.js';

const json = process.argv.includes('--json');
const accelArg = process.argv[process.argv.indexOf('--accel') + 1];
const accel = accelArg === 'tcg' || accelArg === 'kvm' ? accelArg : 'auto';
const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : console.log(line));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
let n = 0;
const spec = (memoryMb: number) => {
  n += 1;
  return { uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name: `bench-${n}`, memoryMb, vcpus: 1 };
};

async function main(): Promise<void> {
  const probe = await probeQemu();
  if (!probe.available) throw new Error(`qemu-system-x86_64 unavailable: ${probe.reason}`);
  const statePath = mkdtempSync(join(tmpdir(), 'vq-bench-'));
  const src = new QemuHost({ statePath, hostName: 'bench-src', accel });
  const dst = new QemuHost({ statePath, hostName: 'bench-dst', accel });
  try {
    log(`QEMU ${probe.version}, accel ${src.accel}`);
    const spawns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const guest = await src.createGuest(spec(64), { sizeBytes: 64 << 20 });
      const t0 = performance.now();
      await guest.start();
      if ((await guest.state()).power !== 'running') throw new Error('guest not running after start');
      spawns.push((performance.now() - t0) / 1000);
      await guest.cleanup();
    }

    const idle = await src.createGuest(spec(64), { sizeBytes: 64 << 20 });
    await idle.start();
    await sleep(2000); // SeaBIOS finds no boot device and idles
    const rssMb = (procfsProcesses.stat(idle.runningPid()!)?.rssBytes ?? 0) / 2 ** 20;
    await idle.cleanup();

    const live: Record<string, { total_s: number; downtime_ms: number; transferred_mb: number }> = {};
    for (const memoryMb of [64, 256]) {
      const guest = await src.createGuest(spec(memoryMb), { sizeBytes: 64 << 20 });
      await guest.start();
      await sleep(1000);
      const target = await createMigrationTarget(dst, guest.record, { sharedStorage: true });
      const endpoint = await prepareIncoming(target);
      const t0 = performance.now();
      const result = await migrateLive(guest, { endpoint });
      await finishIncoming(target);
      live[String(memoryMb)] = {
        total_s: Number(((performance.now() - t0) / 1000).toFixed(3)),
        downtime_ms: result.downtimeMs,
        transferred_mb: Number((result.transferredBytes / 2 ** 20).toFixed(1)),
      };
      await guest.cleanup({ keepDisks: true });
      await (await dst.guest(guest.uuid)).cleanup();
    }

    const out = { spawn_s: Number(median(spawns).toFixed(3)), live_migration: live, idle_guest_rss_mb: Number(rssMb.toFixed(1)), accel: src.accel, qemu: probe.version };
    if (json) {
      console.log(JSON.stringify(out));
    } else {
      console.log(`spawn to running (median of 3)   ${out.spawn_s.toFixed(3)} s`);
      for (const [mb, r] of Object.entries(live)) {
        console.log(`live migration ${mb.padStart(3)} MB idle        ${r.total_s.toFixed(3)} s, downtime ${r.downtime_ms} ms, ${r.transferred_mb} MiB sent`);
      }
      console.log(`idle 64 MB guest RSS             ${out.idle_guest_rss_mb} MiB`);
    }
  } finally {
    for (const host of [src, dst]) {
      for (const record of await host.listRecords()) await (await host.guest(record.config.uuid)).terminate().catch(() => {});
      host.detachAll();
    }
    rmSync(statePath, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
