/**
 * Benchmark of the QEMU driver on this host: spawn-to-running (driver.spawn: root disk, QEMU,
 * QMP says running), live migration of an idle 64 MB and 256 MB guest between two drivers over
 * 127.0.0.1 (shared state path, so RAM only; from liveMigration until the manager's post
 * callback, with QEMU's own downtime), and the RSS of an idle guest.
 * `--json` prints exactly one JSON object on stdout:
 *   {"spawn_s", "live_migration": {"64": {"total_s", "downtime_ms"}, "256": {...}}, "idle_guest_rss_mb"}
 *
 *   npm run bench:qemu [-- --json] [--accel tcg|kvm]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockDeviceInfo, createTestInstance, FakeVirtAPI, type TestInstance } from '@novakit/virt-conformance';
import type { LiveMigrationCallback } from '@novakit/virt-driver';
import { probeQemu, procfsProcesses, QemuDriver } from '../src/index.js';

const json = process.argv.includes('--json');
const accelArg = process.argv[process.argv.indexOf('--accel') + 1];
const accel = accelArg === 'tcg' || accelArg === 'kvm' ? accelArg : 'auto';
const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : console.log(line));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

const virtapi = FakeVirtAPI.create();
const ctx = virtapi.context();
const none = blockDeviceInfo();

async function spawn(driver: QemuDriver, memoryMb: number): Promise<TestInstance> {
  const ti = createTestInstance({ ctx, memoryMb, vcpus: 1, rootGb: 1 });
  virtapi.addInstance(ti.instance);
  await driver.spawn(ctx, ti.instance, { imageMeta: { id: null, properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none });
  return ti;
}

async function destroy(driver: QemuDriver, ti: TestInstance): Promise<void> {
  await driver.destroy(ctx, ti.legacy, { networkInfo: ti.networkInfo, blockDeviceInfo: none, destroyDisks: true });
}

/** The Juno flow between two drivers; resolves with the time to the post callback and QEMU's downtime. */
async function liveMigrate(src: QemuDriver, dst: QemuDriver, ti: TestInstance): Promise<{ totalS: number; downtimeMs: number; transferredMb: number }> {
  const info = async (d: QemuDriver) => ({ ...(await d.getAvailableResource(d.qemuHost.hostName)) });
  const check = await dst.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: await info(src), dstComputeInfo: await info(dst), blockMigration: false, diskOverCommit: false });
  const data = await src.checkCanLiveMigrateSource(ctx, ti.legacy, { destCheckData: check });
  await dst.checkCanLiveMigrateDestinationCleanup(ctx, check);
  const pre = await dst.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: ti.networkInfo, diskInfo: null, migrateData: data });
  const migrateData = { ...data, ...pre, pre_live_migration_result: pre };
  let result: { totalS: number; downtimeMs: number; transferredMb: number } | undefined;
  const t0 = performance.now();
  const post: LiveMigrationCallback = async (c, instance, _dest, block, md) => {
    const totalS = (performance.now() - t0) / 1000;
    const done = await (await (await src.qemuHost.guest(ti.uuid)).qmp()).execute('query-migrate');
    result = { totalS, downtimeMs: done.downtime ?? 0, transferredMb: (done.ram?.transferred ?? 0) / 2 ** 20 };
    await src.postLiveMigration(c, instance, { blockDeviceInfo: none, migrateData: md });
    await dst.postLiveMigrationAtDestination(c, ti.instance, { networkInfo: ti.networkInfo, blockMigration: block, blockDeviceInfo: none });
  };
  const recover: LiveMigrationCallback = async () => {
    throw new Error(`live migration of ${ti.uuid} failed`);
  };
  await src.liveMigration(ctx, ti.legacy, { dest: dst.qemuHost.hostName, postMethod: post, recoverMethod: recover, blockMigration: false, migrateData });
  return result!;
}

async function main(): Promise<void> {
  const probe = await probeQemu();
  if (!probe.available) throw new Error(`qemu-system-x86_64 unavailable: ${probe.reason}`);
  const statePath = mkdtempSync(join(tmpdir(), 'vq-bench-'));
  const make = async (host: string) => {
    const driver = new QemuDriver({ host, virtapi: virtapi.forHost(host), statePath, accel, hostIp: '127.0.0.1', cleanShutdownTimeoutS: 0, migration: { bindAddress: '127.0.0.1' } });
    await driver.initHost(host);
    return driver;
  };
  const src = await make('bench-src');
  const dst = await make('bench-dst');
  try {
    log(`QEMU ${probe.version}, accel ${src.qemuHost.accel}`);
    const spawns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const ti = await spawn(src, 64);
      spawns.push((performance.now() - t0) / 1000);
      await destroy(src, ti);
    }

    const idle = await spawn(src, 64);
    await sleep(2000); // SeaBIOS finds no boot device and idles
    const pid = src.qemuHost.instanceDir(idle.uuid).readPid()!;
    const rssMb = (procfsProcesses.stat(pid)?.rssBytes ?? 0) / 2 ** 20;
    await destroy(src, idle);

    const live: Record<string, { total_s: number; downtime_ms: number }> = {};
    const sent: Record<string, number> = {};
    for (const memoryMb of [64, 256]) {
      const ti = await spawn(src, memoryMb);
      await sleep(1000);
      const r = await liveMigrate(src, dst, ti);
      live[String(memoryMb)] = { total_s: round(r.totalS, 3), downtime_ms: r.downtimeMs };
      sent[String(memoryMb)] = round(r.transferredMb, 1);
      await destroy(dst, ti);
    }

    const out = { spawn_s: round(median(spawns), 3), live_migration: live, idle_guest_rss_mb: round(rssMb, 1) };
    if (json) {
      console.log(JSON.stringify(out));
    } else {
      console.log(`spawn to running (median of 3)   ${out.spawn_s.toFixed(3)} s`);
      for (const [mb, r] of Object.entries(live)) {
        console.log(`live migration ${mb.padStart(3)} MB idle        ${r.total_s.toFixed(3)} s, downtime ${r.downtime_ms} ms, ${sent[mb]} MiB sent`);
      }
      console.log(`idle 64 MB guest RSS             ${out.idle_guest_rss_mb} MiB`);
    }
  } finally {
    for (const driver of [src, dst]) {
      for (const record of await driver.qemuHost.listRecords()) await (await driver.qemuHost.guest(record.config.uuid)).terminate().catch(() => {});
      await driver.cleanupHost(driver.qemuHost.hostName);
    }
    rmSync(statePath, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
