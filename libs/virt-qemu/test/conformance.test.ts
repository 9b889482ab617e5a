// The shared conformance suite against real QEMU: short-lived guests (64–128 MB, no guest OS),
// two driver instances on 127.0.0.1 for the live-migration cases. The firewall is managed (and its
// tables checked in the kernel) when nft is usable here, as in CI where the tests run as root.
import { afterAll, describe, expect, it } from 'vitest';
import { describeComputeDriver, DRIVER_EXPECTATIONS, type DriverExpectations, type DriverInspector } from '@novakit/virt-conformance';
import { CAPABILITY_METHODS, WORK_ITEMS, type CapabilityName, type ComputeDriver } from '@novakit/virt-driver';
import { nftUsable, QemuDriver } from '../src/index.js';
import { killStrayQemus, missing, TEST_TIMEOUTS } from './real-qemu.js';

const firewall = !missing && nftUsable();

/** The expectations of DRIVER_EXPECTATIONS, less the firewall where nft cannot be used (not root, no nftables). */
const NOT_SUPPORTED: CapabilityName[] = [...DRIVER_EXPECTATIONS.qemu!.unsupported];
if (!firewall) NOT_SUPPORTED.push('supportsFirewall');

const expectations: DriverExpectations = { ...DRIVER_EXPECTATIONS.qemu!, unsupported: NOT_SUPPORTED };

const inspector: DriverInspector = {
  isFiltered: (driver: ComputeDriver, uuid: string) => (driver as QemuDriver).isFiltered(uuid),
};

const suite = describeComputeDriver({
  name: 'qemu',
  skip: missing ?? null,
  expectations,
  inspector,
  createDriver: ({ host, virtapi, workDir }) =>
    new QemuDriver({
      host,
      virtapi,
      statePath: workDir,
      hostIp: '127.0.0.1',
      manageFirewall: firewall,
      softRebootTimeoutS: 0.3,
      cleanShutdownTimeoutS: 0.3,
      timeouts: TEST_TIMEOUTS,
      migration: { bindAddress: '127.0.0.1' },
    }),
});

afterAll(() => {
  killStrayQemus('novakit-conformance-qemu-');
});

describe.skipIf(missing !== undefined)('the conformance report of the qemu driver', () => {
  it('has every supported work item and method exercised, the rest not supported, nothing failed', () => {
    const report = suite.report();
    expect(report.summary.cases.failed).toBe(0);
    const notSupported = new Set<string>(NOT_SUPPORTED.flatMap((c) => [...CAPABILITY_METHODS[c]]));
    for (const w of WORK_ITEMS) expect(report.workItems[w.name]?.status, w.name).toBe(notSupported.has(w.method) ? 'not supported' : 'exercised');
    for (const [method, coverage] of Object.entries(report.methods)) {
      expect(coverage.status, method).toBe(notSupported.has(method) ? 'not supported' : 'exercised');
    }
  });
});
