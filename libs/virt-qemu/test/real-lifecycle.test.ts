import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { collectDiagnostics, procfsProcesses, QemuHost, readConsoleTail } from '../src/index.js';
import { runCommand } from '../src/host/run-command.js';
import { describeWithQemu, RealHosts, TEST_TIMEOUTS, uuid } from './real-qemu.js';

const hosts = new RealHosts();
afterAll(() => hosts.dispose());

const spec = (n: number) => ({ uuid: uuid(n), name: `instance-${n}`, memoryMb: 64, vcpus: 1, nics: [{ mac: `52:54:00:00:00:${String(n).padStart(2, '0')}` }] });

/** Field 6 of /proc/<pid>/stat: the session id. */
function sessionOf(pid: number): number {
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(raw.slice(raw.lastIndexOf(')') + 2).split(' ')[3]);
}

describeWithQemu('real QEMU: guest lifecycle', () => {
  it('spawns, pauses, resumes, reboots, suspends, powers off and on, destroys', { timeout: 60_000 }, async () => {
    const host = hosts.host({ hostName: 'node-a' });
    const guest = await host.createGuest(spec(1), { sizeBytes: 64 << 20 });
    await guest.start();
    const pid = guest.runningPid()!;
    expect(await guest.state()).toEqual({ power: 'running', qemuStatus: 'running', pid });
    expect(sessionOf(pid)).toBe(pid); // its own session: a manager restart does not take it down

    await guest.pause();
    expect((await guest.state()).power).toBe('paused');
    await guest.unpause();
    expect((await guest.state()).power).toBe('running');

    expect(await guest.reboot('soft', 300)).toBe('reset'); // no guest OS answers ACPI
    expect(await guest.reboot('hard')).toBe('reset');
    expect((await guest.state()).power).toBe('running');

    await guest.suspend();
    expect(await guest.state()).toEqual({ power: 'suspended' });
    expect(procfsProcesses.isAlive(pid)).toBe(false);
    await guest.resume();
    expect((await guest.state()).power).toBe('running');

    expect(await guest.powerOff(300)).toEqual({ clean: false });
    expect(await guest.state()).toEqual({ power: 'shutdown' });
    await guest.powerOn();
    const diag = await collectDiagnostics(guest, procfsProcesses);
    expect(diag).toMatchObject({ state: 'running', memoryMb: 64, nics: [{ mac: '52:54:00:00:00:01' }] });
    expect(diag.vcpus).toHaveLength(1);
    expect(diag.vcpus[0]!.timeNs).toBeTypeOf('number');
    expect(diag.disks.map((d) => d.device)).toEqual(['/dev/sda']);
    expect(diag.rssBytes).toBeGreaterThan(0);
    expect(await readConsoleTail(guest.dir.consoleLog)).toBeTypeOf('string');

    const last = guest.runningPid()!;
    await guest.cleanup();
    expect(procfsProcesses.isAlive(last)).toBe(false);
    expect(guest.dir.exists()).toBe(false);
  });

  it('reports a QEMU killed from outside as crashed and survives QMP dying mid-command', { timeout: 30_000 }, async () => {
    const host = hosts.host({ hostName: 'node-b' });
    const guest = await host.createGuest(spec(2), { sizeBytes: 16 << 20 });
    await guest.start();
    const pid = guest.runningPid()!;
    const qmp = await guest.qmp();
    const pending = qmp.waitForEvent('NEVER', { timeoutMs: 10_000 });
    process.kill(pid, 'SIGKILL');
    await expect(pending).rejects.toMatchObject({ name: 'QmpConnectionClosed' });
    await expect(qmp.execute('query-status')).rejects.toMatchObject({ name: 'QmpConnectionClosed' });
    for (let i = 0; i < 100 && procfsProcesses.isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await guest.state()).toEqual({ power: 'crashed' });
    await guest.start(); // hard reboot path of a crashed guest
    expect((await guest.state()).power).toBe('running');
  });

  it('a new host over the same state path finds running guests and destroys them', { timeout: 30_000 }, async () => {
    const statePath = hosts.tempDir();
    const first = hosts.host({ hostName: 'node-c', statePath });
    const running = await first.createGuest(spec(3), { sizeBytes: 16 << 20 });
    await running.start();
    await running.pause();
    const off = await first.createGuest(spec(4), { sizeBytes: 16 << 20 });
    const pid = running.runningPid()!;
    first.detachAll(); // the manager goes away; QEMU stays

    const second = new QemuHost({ statePath, hostName: 'node-c', timeouts: TEST_TIMEOUTS });
    const found = await second.reattach();
    expect(found.map((f) => [f.guest.uuid, f.state])).toEqual([
      [running.uuid, { power: 'paused', qemuStatus: 'paused', pid }],
      [off.uuid, { power: 'shutdown' }],
    ]);
    expect(await new QemuHost({ statePath, hostName: 'node-other' }).listRecords()).toEqual([]);
    for (const f of found) await f.guest.cleanup();
    expect(procfsProcesses.isAlive(pid)).toBe(false);
    expect(await second.listRecords()).toEqual([]);
  });

  it('creates the root disk as a qcow2 overlay on a base image, or blank at the flavor size', async () => {
    const host = hosts.host({ hostName: 'node-e' });
    const base = join(hosts.tempDir('vq-base-'), 'base.raw');
    await runCommand('qemu-img', ['create', '-q', '-f', 'raw', base, String(32 << 20)]);
    const overlay = await host.createGuest(spec(6), { baseImage: { path: base }, sizeBytes: 64 << 20 });
    expect(await host.images.info(overlay.dir.disk)).toMatchObject({ format: 'qcow2', virtualSizeBytes: 64 << 20, backingFile: base });
    const blank = await host.createGuest(spec(7), { sizeBytes: 48 << 20 });
    expect(await host.images.info(blank.dir.disk)).toMatchObject({ format: 'qcow2', virtualSizeBytes: 48 << 20, backingFile: undefined });
  });

  it('reports host resources', async () => {
    const host = hosts.host({ hostName: 'node-d' });
    await host.createGuest(spec(5), { sizeBytes: 1 << 30 });
    const r = await host.resources();
    expect(r.vcpus).toBeGreaterThan(0);
    expect(r.memoryMb).toBeGreaterThan(r.memoryMbUsed);
    expect(r).toMatchObject({ vcpusUsed: 1, memoryMbUsed: 64, diskGbUsed: 1 });
  });
});
