// Live migration between hosts whose driver has no firewall (the QEMU driver unless it manages
// nft): the source must not ask the driver to remove filtering rules it never had, or a guest
// already running on the destination is left recorded on the source.
import { VmState, type Instance } from '@novakit/objects';
import { FakeDriver } from '@novakit/virt-fake';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComputeManager } from '../src/index.js';
import { IMAGE, eventually, load, newInstance, quietLogger, settled, startStack, type Stack } from './harness.js';

let stack: Stack;

async function startWithoutFirewall(host: string): Promise<void> {
  const handle = await startComputeManager({
    config: { host, transportUrl: 'memory://shared-transport', driver: { name: 'fake', options: {} }, periodic: { resourceReportSeconds: 0, powerStateSyncSeconds: 0, heartbeatSeconds: 0, orphanCleanupSeconds: 0 }, rpcTimeoutSeconds: 10, shutdownGraceSeconds: 5 },
    transport: stack.transport,
    driverFactories: { fake: ({ host: h, virtapi }) => new FakeDriver({ host: h, virtapi, network: stack.network, disabledCapabilities: ['supportsFirewall'] }) },
    logger: quietLogger(),
  });
  stack.computes.set(host, handle);
}

beforeAll(async () => {
  stack = await startStack();
  await startWithoutFirewall('nofw-a');
  await startWithoutFirewall('nofw-b');
});
afterAll(async () => stack?.close());

describe('live migration without a driver firewall', () => {
  it('moves the instance and records it on the destination', async () => {
    expect(stack.driver('nofw-a').capabilities.supportsFirewall).toBe(false);
    const created: Instance = await newInstance(stack.ctx);
    await stack.compute.buildAndRunInstance(stack.ctx, 'nofw-a', created, { image: IMAGE });
    const instance = await settled(stack.ctx, created.uuid, VmState.ACTIVE);
    const migrateData = await stack.compute.checkCanLiveMigrateDestination(stack.ctx, instance, 'nofw-b', { block_migration: true, disk_over_commit: false });
    await stack.compute.liveMigration(stack.ctx, instance, { dest: 'nofw-b', block_migration: true, migrate_data: { ...migrateData } });
    const moved = await eventually('instance on nofw-b', () => load(stack.ctx, instance.uuid), (i) => i.host === 'nofw-b' && i.task_state === null);
    expect(moved.vm_state).toBe(VmState.ACTIVE);
    expect(stack.network.find('nofw-b')!.guests.has(instance.uuid)).toBe(true);
    expect(stack.network.find('nofw-a')!.guests.has(instance.uuid)).toBe(false);
  });
});
