import { readFileSync } from 'node:fs';
import { describeComputeDriver, DRIVERS_ENV, type ConformanceReport, type DriverInspector } from '@novakit/virt-conformance';
import { WORK_ITEMS, type ComputeDriver } from '@novakit/virt-driver';
import { describe, expect, it } from 'vitest';
import { FakeDriver, FakeHypervisorNetwork } from '../src/index.js';

const network = new FakeHypervisorNetwork();
const hv = (driver: ComputeDriver) => (driver as FakeDriver).hypervisor;
const guest = (driver: ComputeDriver, uuid: string) => hv(driver).guests.get(uuid);

const inspector: DriverInspector = {
  pluggedVifs: (d, uuid) => [...(hv(d).vifs.get(uuid) ?? [])],
  isFiltered: (d, uuid) => hv(d).filters.has(uuid),
  injectedFiles: (d, uuid) => Object.fromEntries(guest(d, uuid)?.injectedFiles ?? []),
  injectedNetworkInfo: (d, uuid) => guest(d, uuid)?.injectedNetworkInfo ?? [],
  networkResets: (d, uuid) => guest(d, uuid)?.networkResets ?? 0,
};

const suite = describeComputeDriver({
  name: 'fake',
  createDriver: ({ host, virtapi }) => new FakeDriver({ host, virtapi, network, size: 'large' }),
  destroyDriver: (_driver, { host }) => network.remove(host),
  inspector,
});

// The same suite against a fake host without block migration (a scenario is an option).
const withoutBlockMigration = describeComputeDriver({
  name: 'fake-without-block-migration',
  createDriver: ({ host, virtapi }) => new FakeDriver({ host, virtapi, network, size: 'large', disabledCapabilities: ['supportsBlockMigration'] }),
  destroyDriver: (_driver, { host }) => network.remove(host),
  inspector,
});

describe('the conformance report of the fake driver', () => {
  it('shows every work item and every contract method exercised, and is written as JSON', () => {
    const report = suite.report();
    for (const w of WORK_ITEMS) expect(report.workItems[w.name]?.status, w.name).toBe('exercised');
    const notExercised = Object.entries(report.methods).filter(([, c]) => c.status !== 'exercised');
    expect(notExercised).toEqual([]);
    expect(report.summary.cases.failed).toBe(0);
    const written = JSON.parse(readFileSync(suite.reportPath, 'utf8')) as ConformanceReport;
    expect(written.driver).toBe('fake');
    expect(Object.values(written.workItems).every((c) => c.status === 'exercised')).toBe(true);
  });
});

const listed = (name: string) => process.env[DRIVERS_ENV]?.split(',').map((d) => d.trim()).includes(name) ?? true;

describe.skipIf(!listed(withoutBlockMigration.name))('the conformance report of the fake driver without block migration', () => {
  it('has the block-migration refusal checked and nothing failed; migrations between its unshared hosts are not attempted', () => {
    const report = withoutBlockMigration.report();
    expect(report.capabilities?.supportsBlockMigration).toBe(false);
    expect(report.summary.cases.failed).toBe(0);
    const refusal = report.cases.find((c) => c.title.startsWith('block migration:'));
    expect(refusal?.status).toBe('passed');
    expect(refusal?.calls.checkCanLiveMigrateSource).toEqual(['error']);
    expect(report.methods.checkCanLiveMigrateSource.status).toBe('exercised');
    expect(report.methods.liveMigration.status).toBe('not exercised');
  });
});
