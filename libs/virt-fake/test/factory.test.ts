import { loadComputeDriver } from '@novakit/virt-driver';
import { describe, expect, it } from 'vitest';
import { createFakeDriver, defaultFakeNetwork, FakeDriver, FakeDriverConfigInvalid, FakeHypervisorNetwork, fakeOptionsFromConfig } from '../src/index.js';
import { ctx, spawn, virtapi } from './helpers.js';

describe('createFakeDriver', () => {
  it('is the `fake` factory of the driver loader, configured from the compute configuration', async () => {
    const network = new FakeHypervisorNetwork();
    const driver = loadComputeDriver('fake', { fake: createFakeDriver }, { host: 'cfg-1', virtapi, config: { size: 'medium', memory_mb: 4096, host_ip: '192.0.2.7', network } });
    expect(driver).toBeInstanceOf(FakeDriver);
    expect(driver.getHostIpAddr()).toBe('192.0.2.7');
    expect(await driver.getAvailableResource('cfg-1')).toMatchObject({ vcpus: 16, memory_mb: 4096, local_gb: 500 });
    expect(network.hostNames()).toEqual(['cfg-1']);
  });

  it('refuses unknown keys and malformed values', () => {
    expect(() => fakeOptionsFromConfig({ colour: 'blue' })).toThrow(FakeDriverConfigInvalid);
    expect(() => fakeOptionsFromConfig({ size: 'huge' })).toThrow('one of small, medium, large, unlimited');
    expect(() => fakeOptionsFromConfig({ vcpus: -1 })).toThrow('vcpus: a positive integer is required');
    expect(() => fakeOptionsFromConfig({ network: {} })).toThrow(FakeDriverConfigInvalid);
    expect(fakeOptionsFromConfig({ storage: 'nfs', nodename: 'n1' })).toMatchObject({ storage: 'nfs', nodename: 'n1', size: { vcpus: 1000 } });
  });

  it('joins the process-wide network when none is given', () => {
    const driver = createFakeDriver({ host: 'default-network-host', virtapi, config: {} }) as FakeDriver;
    expect(driver.network).toBe(defaultFakeNetwork);
    expect(defaultFakeNetwork.find('default-network-host')).toBe(driver.hypervisor);
    defaultFakeNetwork.remove('default-network-host');
  });
});

describe('a restarted compute', () => {
  it('attaches to the machine its host left running; hardware is fixed by the first driver', async () => {
    const network = new FakeHypervisorNetwork();
    const first = new FakeDriver({ host: 'h', virtapi, network, size: 'small' });
    await first.initHost('h');
    const ti = await spawn(first);
    await first.cleanupHost('h');
    const again = new FakeDriver({ host: 'h', virtapi, network, size: 'large' });
    await again.initHost('h');
    expect(again.hypervisor).toBe(first.hypervisor);
    expect(await again.listInstanceUuids()).toEqual([ti.uuid]);
    expect((await again.getAvailableResource('h')).vcpus).toBe(1);
    await expect(again.initHost('other')).rejects.toMatchObject({ name: 'HypervisorUnavailable' });
    expect((await again.getInfo(ctx, ti.legacy)).state).toBe(1);
  });
});
