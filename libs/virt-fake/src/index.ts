/**
 * @novakit/virt-fake — the in-memory reference driver (Nova's nova/virt/fake.py). It is
 * production code: it defines what every contract method means, runs `novakit up` without a
 * hypervisor, and is the driver the compute manager's tests use. Scenarios are options, never
 * mocks: a host's size, failures injected per method, slow methods, a live migration that
 * breaks at a given stage, hosts that share storage, and hundreds of hosts in one process.
 *
 * Hosts find each other through a FakeHypervisorNetwork (by host name); a driver created
 * again for a known host attaches to the machine it left, as a restarted compute would.
 *
 * ```ts
 * const network = new FakeHypervisorNetwork();
 * const src = new FakeDriver({ host: 'node-1', virtapi, network, size: 'medium' });
 * const dst = new FakeDriver({ host: 'node-2', virtapi, network, liveMigration: { failure: { stage: 'pre' } } });
 * src.scenario.setFailure('spawn', { after: 1, times: 1 });      // the second spawn fails
 * src.scenario.setDelay('powerOff', 200);                         // a slow shutdown
 * const hosts = createFakeHosts({ count: 500, virtapi, size: 'small' });
 * const driver = loadComputeDriver('fake', { fake: createFakeDriver }, { host, virtapi, config: { size: 'large' } });
 * ```
 */
export { FakeDriver } from './fake-driver.js';
export { createFakeDriver, createFakeHosts, fakeOptionsFromConfig } from './factory.js';
export type { FakeHostsOptions } from './factory.js';
export { FakeHypervisorNetwork, FakeStoragePool, defaultFakeNetwork } from './network.js';
export { FakeHypervisor } from './hypervisor.js';
export type { FakeHardware } from './hypervisor.js';
export { FakeScenario } from './scenario.js';
export type { FakeGuest, FakeDisk, FakeNic, InstanceFacts } from './guest.js';
export type { FakeFilter } from './firewall.js';
export { DEFAULT_FAKE_CPU, FAKE_HOST_SIZES } from './options.js';
export type {
  FakeCpu,
  FakeDelays,
  FakeDriverOptions,
  FakeFailure,
  FakeFailures,
  FakeHostSize,
  FakeHostSizeName,
  FakeLiveMigrationOptions,
  FakeMigrationFailure,
} from './options.js';
export { FakeDriverConfigInvalid } from './errors.js';
