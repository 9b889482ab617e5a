import { InjectedFailure, NotSupportedError, PowerState, type LifecycleEvent } from '@novakit/virt-driver';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FAKE_HOST_SIZES, FakeDriver, FakeHypervisorNetwork, type FakeDriverOptions } from '../src/index.js';
import { ctx, newInstance, none, spawn, virtapi } from './helpers.js';

let hostCount = 0;
const fake = (opts: Partial<FakeDriverOptions> = {}) => new FakeDriver({ host: `scenario-${hostCount++}`, virtapi, network: new FakeHypervisorNetwork(), ...opts });

describe('host size', () => {
  it('a preset or explicit numbers are what the resource report shows; instances are counted', async () => {
    const small = fake({ size: 'small' });
    expect(await small.getAvailableResource(small.host)).toMatchObject({ vcpus: 1, memory_mb: 1024, local_gb: 10, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0 });
    const custom = fake({ size: { vcpus: 4, memoryMb: 2048, diskGb: 40 }, cpu: { arch: 'aarch64', model: 'm', vendor: 'v', features: [] } });
    await spawn(custom, { vcpus: 2, memoryMb: 512, rootGb: 5, ephemeralGb: 1 });
    const r = await custom.getAvailableResource(custom.host);
    expect(r).toMatchObject({ vcpus: 4, memory_mb: 2048, local_gb: 40, vcpus_used: 2, memory_mb_used: 512, local_gb_used: 6, disk_available_least: 34 });
    expect(JSON.parse(r.cpu_info)).toMatchObject({ arch: 'aarch64' });
    expect(r.supported_instances).toEqual([['aarch64', 'fake', 'hvm']]);
    expect(FAKE_HOST_SIZES.unlimited.vcpus).toBeGreaterThan(100);
  });

  it('a destination too small for the instance refuses it in the live-migration check', async () => {
    const network = new FakeHypervisorNetwork();
    const src = fake({ network });
    const dst = fake({ network, size: 'small' });
    const ti = await spawn(src, { memoryMb: 2048 });
    const info = { ...(await src.getAvailableResource(src.host)) };
    await expect(dst.checkCanLiveMigrateDestination(ctx, ti.legacy, { srcComputeInfo: info, dstComputeInfo: info, blockMigration: true, diskOverCommit: false })).rejects.toMatchObject({ name: 'MigrationPreCheckError' });
  });
});

describe('injected failures', () => {
  it('fail the chosen calls, deterministically, before any state changes', async () => {
    const d = fake({ failures: { spawn: { after: 1, times: 1 } } });
    await spawn(d);
    const e = await spawn(d).catch((x) => x);
    expect(e).toBeInstanceOf(InjectedFailure);
    expect(e.kwargs).toEqual({ method: 'spawn', stage: 'call' });
    expect(await d.listInstances()).toHaveLength(1);
    expect((await d.getAvailableResource(d.host)).memory_mb_used).toBe(64);
    await spawn(d);
    expect(await d.listInstances()).toHaveLength(2);
    expect(d.scenario.calls('spawn')).toBe(3);
  });

  it('can target one instance, throw a chosen error, fail forever, and be changed at run time', async () => {
    const d = fake();
    const victim = await spawn(d);
    const other = await spawn(d);
    d.scenario.setFailure('powerOff', { instanceUuid: victim.uuid, error: () => new Error('stuck guest') });
    await expect(d.powerOff(victim.instance)).rejects.toThrow('stuck guest');
    await d.powerOff(other.instance);
    expect((await d.getInfo(ctx, victim.legacy)).state).toBe(PowerState.RUNNING);
    d.scenario.setFailure('getInfo', true);
    await expect(d.getInfo(ctx, other.legacy)).rejects.toBeInstanceOf(InjectedFailure);
    await expect(d.getInfo(ctx, other.legacy)).rejects.toBeInstanceOf(InjectedFailure);
    d.scenario.setFailure('getInfo', null);
    d.scenario.setFailure('powerOff', null);
    expect((await d.getInfo(ctx, other.legacy)).state).toBe(PowerState.SHUTDOWN);
    await d.powerOff(victim.instance);
  });
});

describe('slow operations', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wait the configured time per method (or the default) before running', async () => {
    vi.useFakeTimers();
    const d = fake({ delays: { powerOff: 5000, default: 100 } });
    const ti = newInstance();
    let spawned = false;
    const spawning = d.spawn(ctx, ti.instance, { imageMeta: { id: null, properties: {} }, networkInfo: ti.networkInfo, blockDeviceInfo: none }).then(() => (spawned = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(spawned).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await spawning;
    let off = false;
    const stopping = d.powerOff(ti.instance).then(() => (off = true));
    await vi.advanceTimersByTimeAsync(4999);
    expect(off).toBe(false);
    expect(d.hypervisor.guests.get(ti.uuid)!.power).toBe(PowerState.RUNNING);
    await vi.advanceTimersByTimeAsync(1);
    await stopping;
    expect(d.hypervisor.guests.get(ti.uuid)!.power).toBe(PowerState.SHUTDOWN);
    d.scenario.setDelay('default', null);
    await d.getInfo(ctx, ti.legacy);
  });
});

describe('a lesser hypervisor', () => {
  it('turns capabilities off; their methods throw NotSupportedError', async () => {
    const d = fake({ disabledCapabilities: ['supportsPause', 'supportsLiveMigration', 'supportsLifecycleEvents'] });
    expect(d.capabilities).toMatchObject({ supportsPause: false, supportsLiveMigration: false, supportsSuspend: true, supportsLifecycleEvents: false });
    expect(Object.isFrozen(d.capabilities)).toBe(true);
    const events: LifecycleEvent[] = [];
    d.registerEventListener((e) => events.push(e));
    await d.initHost(d.host);
    const ti = await spawn(d);
    await expect(d.pause(ti.instance)).rejects.toBeInstanceOf(NotSupportedError);
    await expect(d.preLiveMigration(ctx, ti.legacy, { blockDeviceInfo: none, networkInfo: [], diskInfo: null, migrateData: {} })).rejects.toMatchObject({ kwargs: { driver: 'fake', method: 'preLiveMigration' } });
    await d.suspend(ctx, ti.instance);
    expect(events).toEqual([]);
  });
});

describe('determinism', () => {
  it('with a fixed clock, events and diagnostics are the same on every run', async () => {
    const run = async () => {
      const clock = () => new Date(Date.UTC(2014, 9, 16));
      const d = fake({ clock });
      const events: LifecycleEvent[] = [];
      d.registerEventListener((e) => events.push(e));
      await d.initHost(d.host);
      const ti = await spawn(d);
      await d.pause(ti.instance);
      await d.unpause(ti.instance);
      await d.powerOff(ti.instance);
      await d.powerOn(ctx, ti.instance, { networkInfo: ti.networkInfo, blockDeviceInfo: none });
      const diag = await d.getInstanceDiagnostics(ctx, ti.instance);
      return { events: events.map((e) => [e.transition, e.timestamp.toISOString()]), diag: { ...diag, nicDetails: diag.nicDetails.length }, info: await d.getInfo(ctx, ti.legacy) };
    };
    const first = await run();
    expect(first.events.map((e) => e[0])).toEqual(['started', 'paused', 'resumed', 'stopped', 'started']);
    expect(first.events.every((e) => e[1] === '2014-10-16T00:00:00.000Z')).toBe(true);
    expect(await run()).toEqual(first);
  });
});
