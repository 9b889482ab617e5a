import { beforeAll, describe, expect, it } from 'vitest';
import type { DriverCell, ManagerCell, MigrationReport } from '../src/model.js';
import { scanRepository } from '../src/scan.js';
import { at, cell, fixture, item, own } from './helpers.js';

describe('scan of the basic fixture', () => {
  let report: MigrationReport;
  beforeAll(() => {
    report = scanRepository({ root: fixture('basic') });
  });

  it('reads the work-item table and finds the manager and both drivers', () => {
    expect(report.problems).toEqual([]);
    expect(report.workItems.map((w) => `${w.name}:${w.method}`)).toEqual([
      'attach_volume:attachVolume',
      'get_info:getInfo',
      'destroy:destroy',
      'detach_volume:detachVolume',
      'reset_network:resetNetwork',
      'get_diagnostics:getDiagnostics',
    ]);
    expect(report.components.map((c) => `${c.kind}:${c.name}:${c.path}`)).toEqual([
      'manager:compute-manager:apps/compute-manager',
      'driver:virt-fake:libs/virt-fake',
      'driver:virt-toy:libs/virt-toy',
    ]);
  });

  it('a converted method: Instance in the contract, clean drivers, manager passes objects', () => {
    const w = item(report, 'get_info');
    expect(w.contract).toMatchObject({ verdict: 'converted', evidence: [], declaration: { file: 'libs/virt-driver/src/compute-driver.ts' } });
    for (const c of Object.values(w.components)) expect(c).toMatchObject({ verdict: 'converted', evidence: [] });
    expect((w.components['compute-manager'] as ManagerCell).callSites).toEqual([
      { file: 'apps/compute-manager/src/manager.ts', line: 16, function: 'ComputeManager.getInfo' },
    ]);
    expect((w.components['virt-fake'] as DriverCell).implementations).toMatchObject([{ name: 'FakeDriver.getInfo', driverClass: 'FakeDriver' }]);
  });

  it('a legacy method: LegacyInstanceDict in the contract makes every component legacy, with evidence', () => {
    const w = item(report, 'attach_volume');
    expect(w.contract.verdict).toBe('legacy');
    expect(w.contract.evidence.map((e) => [e.kind, at(e), e.message])).toEqual([
      ['contract-param', 'libs/virt-driver/src/compute-driver.ts:12', 'ComputeDriver.attachVolume: `instance` is LegacyInstanceDict'],
      ['contract-param', 'libs/virt-driver/src/compute-driver-base.ts:14', 'ComputeDriverBase.attachVolume: `_instance` is LegacyInstanceDict'],
    ]);
    for (const name of ['compute-manager', 'virt-fake', 'virt-toy']) {
      const c = cell(report, 'attach_volume', name);
      expect(c.verdict).toBe('legacy');
      expect(c.evidence.filter((e) => e.kind === 'contract-param')).toHaveLength(2);
    }
    expect(own(cell(report, 'attach_volume', 'virt-fake')).map((e) => [e.kind, at(e)])).toEqual([
      ['implementation-param', 'libs/virt-fake/src/fake-driver.ts:10'],
    ]);
    // virt-toy keeps the base default: legacy through the contract only.
    expect(own(cell(report, 'attach_volume', 'virt-toy'))).toEqual([]);
    expect((cell(report, 'attach_volume', 'virt-toy') as DriverCell).inheritsDefault).toEqual(['BaseToyDriver', 'ToyDriver']);
  });

  it('a legacy call hidden behind helper functions of the same lib, with the call chain', () => {
    const c = cell(report, 'destroy', 'virt-fake');
    expect(c.verdict).toBe('legacy');
    expect(own(c)).toEqual([
      {
        kind: 'legacy-call',
        file: 'libs/virt-fake/src/helpers.ts',
        line: 10,
        message: 'FakeDriver.destroy → forgetInstance → recordTaskState calls @legacy VirtApi.instanceUpdate',
        chain: [
          { name: 'FakeDriver.destroy', file: 'libs/virt-fake/src/fake-driver.ts', line: 18 },
          { name: 'forgetInstance', file: 'libs/virt-fake/src/helpers.ts', line: 5 },
          { name: 'recordTaskState', file: 'libs/virt-fake/src/helpers.ts', line: 9 },
        ],
      },
    ]);
  });

  it('a half-converted driver: virt-fake is converted for some items and legacy for others', () => {
    const verdicts = Object.fromEntries(report.workItems.map((w) => [w.name, w.components['virt-fake']!.verdict]));
    expect(verdicts).toEqual({
      attach_volume: 'legacy',
      get_info: 'converted',
      destroy: 'legacy',
      detach_volume: 'converted',
      reset_network: 'converted',
      get_diagnostics: 'converted',
    });
    expect(report.totals.find((t) => t.component === 'virt-fake')).toEqual({
      component: 'virt-fake',
      converted: 4,
      legacy: 2,
      noCaller: 0,
      total: 6,
      percent: 66,
    });
  });

  it('follows calls through an interface of the lib to its implementation, and a bound legacy method', () => {
    const c = cell(report, 'get_diagnostics', 'virt-toy');
    expect(c.verdict).toBe('legacy');
    expect(own(c).map((e) => [e.kind, at(e), e.chain?.map((s) => s.name).join(' → ')])).toEqual([
      ['legacy-reference', 'libs/virt-toy/src/host.ts:13', 'ToyDriver.getDiagnostics → ToyHost.diagnostics'],
      ['legacy-call', 'libs/virt-toy/src/host.ts:14', 'ToyDriver.getDiagnostics → ToyHost.diagnostics'],
    ]);
  });

  it('a driver class extending ComputeDriverBase through a class of its own lib counts, and inherits its methods', () => {
    expect(report.components.find((c) => c.name === 'virt-toy')?.classes.map((c) => c.name)).toEqual(['BaseToyDriver', 'ToyDriver']);
    expect((cell(report, 'get_info', 'virt-toy') as DriverCell).implementations).toMatchObject([
      { name: 'BaseToyDriver.getInfo', driverClass: 'BaseToyDriver' },
    ]);
  });

  it('a lib depending on virt-driver without a driver class is not a driver', () => {
    expect(report.skippedPackages).toEqual([
      { path: 'libs/virt-conformance', reason: 'depends on @novakit/virt-driver but declares no class extending ComputeDriverBase' },
    ]);
  });

  it('a manager call site passing a legacy dict', () => {
    const c = cell(report, 'attach_volume', 'compute-manager');
    expect(own(c)).toEqual([
      {
        kind: 'legacy-argument',
        file: 'apps/compute-manager/src/manager.ts',
        line: 12,
        message: 'passes LegacyInstanceDict as `instance` of ComputeDriver.attachVolume',
      },
    ]);
  });

  it('a manager call site (inside a callback) surrounded by a legacy conductor call', () => {
    const c = cell(report, 'detach_volume', 'compute-manager') as ManagerCell;
    expect(c.verdict).toBe('legacy');
    expect(c.callSites).toEqual([{ file: 'apps/compute-manager/src/manager.ts', line: 27, function: 'ComputeManager.detachVolume' }]);
    expect(own(c)).toMatchObject([
      {
        kind: 'legacy-call',
        file: 'apps/compute-manager/src/manager.ts',
        line: 37,
        message: 'ComputeManager.detachVolume → ComputeManager.recordDetach calls @legacy ConductorApi.instanceUpdate',
      },
    ]);
    // The drivers are clean for this item: only the manager holds it back.
    expect(cell(report, 'detach_volume', 'virt-fake').verdict).toBe('converted');
  });

  it('no call site in the manager is a verdict of its own', () => {
    expect(cell(report, 'reset_network', 'compute-manager')).toMatchObject({ verdict: 'no-caller', callSites: [], evidence: [] });
    expect(report.totals.find((t) => t.component === 'compute-manager')).toMatchObject({ converted: 3, legacy: 2, noCaller: 1 });
    expect(report.overall).toEqual({ converted: 11, cells: 18, percent: 61 });
  });
});
