import { Instance, type RequestContext } from '@novakit/objects';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CAPABILITY_METHODS,
  capabilityOf,
  ComputeDriverBase,
  DriverNotFound,
  EMPTY_BLOCK_DEVICE_INFO,
  instanceFacts,
  instanceField,
  legacyInstanceDict,
  loadComputeDriver,
  NO_CAPABILITIES,
  NotSupportedError,
  WORK_ITEMS,
  type ComputeDriver,
  type HostResources,
  type InstanceInfo,
  type LegacyInstanceDict,
  type VirtAPI,
  type WorkItemMethod,
} from '../src/index.js';

class MinimalDriver extends ComputeDriverBase {
  readonly name = 'minimal';
  async initHost() {}
  async listInstances() {
    return [];
  }
  async listInstanceUuids() {
    return ['u1'];
  }
  async spawn() {}
  async reboot() {}
  async powerOff() {}
  async powerOn() {}
  async destroy() {}
  async cleanup() {}
  async getInfo(): Promise<InstanceInfo> {
    return { state: 1, maxMemKb: 0, memKb: 0, numCpu: 1, cpuTimeNs: 0 };
  }
  async getAvailableResource(): Promise<HostResources> {
    throw new Error('unused');
  }
  async getAvailableNodes() {
    return ['n'];
  }
  getHostIpAddr() {
    return '127.0.0.1';
  }
  async plugVifs() {}
  async unplugVifs() {}
}

const virtapi = {} as VirtAPI;
const ctx = {} as RequestContext;

describe('the contract', () => {
  it('lists 25 work items, each a method of ComputeDriver', () => {
    expect(WORK_ITEMS).toHaveLength(25);
    expect(new Set(WORK_ITEMS.map((w) => w.name)).size).toBe(25);
    expectTypeOf<WorkItemMethod>().toMatchTypeOf<keyof ComputeDriver>();
    const driver = new MinimalDriver(virtapi);
    for (const w of WORK_ITEMS) expect(typeof (driver as any)[w.method], w.method).toBe('function');
  });

  it('optional methods of the base throw NotSupportedError naming the driver and method', async () => {
    const driver = new MinimalDriver(virtapi);
    expect(driver.capabilities).toEqual(NO_CAPABILITIES);
    const legacy = {} as LegacyInstanceDict;
    const e = await driver.attachVolume(ctx, legacy, { connectionInfo: { driver_volume_type: 'file', data: {} }, mountpoint: '/dev/sdb' }).catch((x) => x);
    expect(e).toBeInstanceOf(NotSupportedError);
    expect(e.kwargs).toEqual({ driver: 'minimal', method: 'attachVolume' });
    await expect(driver.liveMigration(ctx, legacy, {} as any)).rejects.toThrow('Driver minimal does not support liveMigration');
    await expect(driver.pause({} as Instance)).rejects.toThrow(NotSupportedError);
    expect(await driver.macsForInstance(ctx, legacy)).toBeNull();
    expect(await driver.dhcpOptionsForInstance(ctx, legacy)).toBeNull();
  });

  it('every method a capability governs is a "not supported" default of the base', async () => {
    const driver = new MinimalDriver(virtapi) as any;
    for (const [capability, methods] of Object.entries(CAPABILITY_METHODS)) {
      for (const method of methods) {
        expect(capabilityOf(method), method).toBe(capability);
        await expect(driver[method](ctx, {}, {}), method).rejects.toThrow(NotSupportedError);
      }
    }
    expect(capabilityOf('spawn')).toBeNull();
  });

  it('instanceExists defaults to the uuid list', async () => {
    const driver = new MinimalDriver(virtapi);
    expect(await driver.instanceExists({ uuid: 'u1' } as Instance)).toBe(true);
    expect(await driver.instanceExists({ uuid: 'u2' } as Instance)).toBe(false);
  });

  it('a throwing lifecycle listener is contained', () => {
    const driver = new MinimalDriver(virtapi);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    driver.registerEventListener(() => {
      throw new Error('boom');
    });
    expect(() => (driver as any).emitLifecycleEvent({ instanceUuid: 'u1', transition: 'stopped', timestamp: new Date() })).not.toThrow();
    process.off('warning', onWarning);
  });

  it('drivers load by name; an unknown name is a clear error', () => {
    const factories = { minimal: () => new MinimalDriver(virtapi) };
    expect(loadComputeDriver('minimal', factories, { host: 'h', virtapi, config: {} }).name).toBe('minimal');
    expect(() => loadComputeDriver('vmware', factories, { host: 'h', virtapi, config: {} })).toThrow(DriverNotFound);
    expect(() => loadComputeDriver('constructor', factories, { host: 'h', virtapi, config: {} })).toThrow('Unknown compute driver constructor; known drivers: minimal');
  });

  it('EMPTY_BLOCK_DEVICE_INFO is frozen', () => {
    expect(Object.isFrozen(EMPTY_BLOCK_DEVICE_INFO)).toBe(true);
  });
});

describe('the release-1 legacy dict', () => {
  it('flattens an instance into the row shape, timestamps as ISO text, joins when loaded', () => {
    const inst = new Instance({
      id: 10,
      uuid: '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47',
      host: 'h1',
      vm_state: 'active',
      memory_mb: 512,
      created_at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      metadata: { a: 'b' },
    });
    const d = legacyInstanceDict(inst);
    expect(d).toMatchObject({ id: 10, uuid: '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47', host: 'h1', name: 'instance-0000000a', memory_mb: 512, created_at: '2024-01-02T03:04:05Z', metadata: { a: 'b' }, node: null });
    expect(d).not.toHaveProperty('system_metadata');
    expect(Object.isFrozen(d)).toBe(true);
    // The brand keeps dicts and objects apart at compile time.
    // @ts-expect-error an Instance is not a LegacyInstanceDict
    const wrong: LegacyInstanceDict = inst;
    expect(wrong).toBe(inst);
  });
});

describe('instanceFacts', () => {
  it('reads the flavor fields alike from an Instance and its legacy dict; unset is 0 (vcpus at least 1)', () => {
    const inst = new Instance({ id: 11, uuid: '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f48', memory_mb: 256, vcpus: 2, root_gb: 3 });
    const facts = { uuid: inst.uuid, name: 'instance-0000000b', vcpus: 2, memoryMb: 256, rootGb: 3, ephemeralGb: 0 };
    expect(instanceFacts(inst)).toEqual(facts);
    expect(instanceFacts(legacyInstanceDict(inst))).toEqual(facts);
    expect(instanceFacts(new Instance({ id: 12, uuid: '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f49' }))).toMatchObject({ vcpus: 1, memoryMb: 0 });
    expect([instanceField(inst, 'ephemeral_gb'), instanceField(legacyInstanceDict(inst), 'ephemeral_gb')]).toEqual([null, null]);
  });
});
