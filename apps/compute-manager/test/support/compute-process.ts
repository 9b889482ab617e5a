// Compute managers in a process of their own for the crash tests: one per configuration file
// given as an argument, their fake hypervisors on one network (so a live migration between
// them runs), with the fake's slow-operation options from CM_FAKE_OPTIONS (JSON by host).
// Prints "ready <host>" per compute. The bin cannot set delays; everything else is the same.
import { FakeDriver, FakeHypervisorNetwork, fakeOptionsFromConfig, type FakeDriverOptions } from '@novakit/virt-fake';
import { loadConfigFile, startComputeManager, type ComputeManagerHandle } from '../../src/index.js';

const network = new FakeHypervisorNetwork();
const extra = JSON.parse(process.env.CM_FAKE_OPTIONS ?? '{}') as Record<string, Partial<FakeDriverOptions>>;
const computes: ComputeManagerHandle[] = [];
for (const path of process.argv.slice(2)) {
  const config = await loadConfigFile(path);
  const handle = await startComputeManager({
    config,
    driverFactories: { fake: ({ host, virtapi, config: options }) => new FakeDriver({ host, virtapi, ...fakeOptionsFromConfig(options), network, ...extra[host] }) },
  });
  computes.push(handle);
  process.stdout.write(`ready ${handle.host}\n`);
}
process.on('SIGTERM', () => {
  void Promise.all(computes.map((c) => c.stop({ graceMs: 2000 }))).finally(() => process.exit(0));
});
