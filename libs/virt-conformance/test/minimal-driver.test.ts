// The suite run against a driver with nothing optional: every optional method must come out
// "not supported" in the report, never "exercised" and never silently passed.
import { existsSync } from 'node:fs';
import { InstanceNotFound, PowerState, type Instance, type RequestContext } from '@novakit/objects';
import {
  CAPABILITY_METHODS,
  ComputeDriverBase,
  InstanceDeployFailure,
  InstanceExistsOnHypervisor,
  InstanceNotRunning,
  NO_CAPABILITIES,
  WORK_ITEMS,
  type BlockDeviceInfo,
  type CapabilityName,
  type DriverMethodName,
  type HostResources,
  type InstanceInfo,
  type LegacyInstanceDict,
  type RebootType,
} from '@novakit/virt-driver';
import { describe, expect, it } from 'vitest';
import { describeComputeDriver } from '../src/index.js';

interface Vm {
  name: string;
  memoryMb: number;
  vcpus: number;
  power: PowerState;
}

// Per host name, so a second driver for the same host finds what the first left running.
const machines = new Map<string, Map<string, Vm>>();

class MinimalDriver extends ComputeDriverBase {
  readonly name = 'minimal';
  private readonly vms: Map<string, Vm>;

  constructor(
    private readonly host: string,
    virtapi: ConstructorParameters<typeof ComputeDriverBase>[0],
  ) {
    super(virtapi);
    this.vms = machines.get(host) ?? new Map();
    machines.set(host, this.vms);
  }

  private vm(uuid: string): Vm {
    const vm = this.vms.get(uuid);
    if (!vm) throw new InstanceNotFound({ instance_id: uuid });
    return vm;
  }

  async initHost() {}
  async listInstances() {
    return [...this.vms.values()].map((v) => v.name);
  }
  async listInstanceUuids() {
    return [...this.vms.keys()];
  }
  async spawn(_ctx: RequestContext, instance: Instance, args: { blockDeviceInfo: BlockDeviceInfo }) {
    if (this.vms.has(instance.uuid)) throw new InstanceExistsOnHypervisor({ name: instance.name });
    for (const v of args.blockDeviceInfo.volumes) if (!existsSync(String(v.connectionInfo.data.path))) throw new InstanceDeployFailure({ reason: 'volume missing' });
    this.vms.set(instance.uuid, { name: instance.name, memoryMb: instance.memory_mb ?? 0, vcpus: instance.vcpus ?? 1, power: PowerState.RUNNING });
  }
  async reboot(_ctx: RequestContext, instance: Instance, args: { rebootType: RebootType }) {
    const vm = this.vm(instance.uuid);
    if (args.rebootType === 'SOFT' && vm.power !== PowerState.RUNNING) throw new InstanceNotRunning({ instance_id: instance.uuid });
    vm.power = PowerState.RUNNING;
  }
  async powerOff(instance: Instance) {
    this.vm(instance.uuid).power = PowerState.SHUTDOWN;
  }
  async powerOn(_ctx: RequestContext, instance: Instance) {
    this.vm(instance.uuid).power = PowerState.RUNNING;
  }
  async destroy(_ctx: RequestContext, instance: LegacyInstanceDict) {
    this.vms.delete(instance.uuid);
  }
  async cleanup(_ctx: RequestContext, instance: LegacyInstanceDict) {
    this.vms.delete(instance.uuid);
  }
  async getInfo(_ctx: RequestContext, instance: LegacyInstanceDict): Promise<InstanceInfo> {
    const vm = this.vm(instance.uuid);
    return { state: vm.power, maxMemKb: vm.memoryMb * 1024, memKb: vm.memoryMb * 1024, numCpu: vm.vcpus, cpuTimeNs: 0 };
  }
  async getAvailableResource(nodename: string): Promise<HostResources> {
    const vms = [...this.vms.values()];
    return {
      vcpus: 8, memory_mb: 8192, local_gb: 100,
      vcpus_used: vms.reduce((s, v) => s + v.vcpus, 0), memory_mb_used: vms.reduce((s, v) => s + v.memoryMb, 0), local_gb_used: 0,
      hypervisor_type: 'minimal', hypervisor_version: 1, hypervisor_hostname: nodename,
      cpu_info: '{"arch":"x86_64"}', disk_available_least: 100, supported_instances: [['x86_64', 'minimal', 'hvm']],
    };
  }
  async getAvailableNodes() {
    return [this.host];
  }
  getHostIpAddr() {
    return '192.0.2.10';
  }
  async plugVifs() {}
  async unplugVifs() {}
}

const ALL = Object.keys(NO_CAPABILITIES) as CapabilityName[];

const suite = describeComputeDriver({
  name: 'minimal',
  createDriver: ({ host, virtapi }) => new MinimalDriver(host, virtapi),
  expectations: {
    unsupported: ALL,
    timeoutMs: 10_000,
    eventTimeoutMs: 200,
    liveMigration: { skip: 'the minimal driver does not migrate' },
    hostsShareStorage: false,
    resourceAccounting: 'reported',
    devicePrefix: '/dev/sd',
  },
});

describe('the report of a driver without optional methods', () => {
  it('says "not supported" for every optional method and "exercised" for every required one', () => {
    const report = suite.report();
    const optional = new Set<DriverMethodName>(Object.values(CAPABILITY_METHODS).flat());
    for (const [method, coverage] of Object.entries(report.methods) as [DriverMethodName, { status: string }][]) {
      expect(coverage.status, method).toBe(optional.has(method) ? 'not supported' : 'exercised');
    }
    for (const w of WORK_ITEMS) expect(report.workItems[w.name].status, w.name).toBe(optional.has(w.method) ? 'not supported' : 'exercised');
    expect(report.summary.cases.failed).toBe(0);
    expect(report.summary.cases.skipped).toBeGreaterThan(0);
    expect(report.capabilities).toEqual(NO_CAPABILITIES);
  });
});
