import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/scan.js';
import { fixture } from './helpers.js';

describe('legacy-method census', () => {
  it('lists every @legacy declaration with its remaining callers, whole repo', () => {
    const report = scanRepository({ root: fixture('basic') });
    const summary = report.legacyMethods.map((m) => ({
      name: m.name,
      at: `${m.file}:${m.line}`,
      callers: m.callers.map((c) => `${c.file}:${c.line} ${c.function} ${c.kind} (${c.package})`),
    }));
    expect(summary).toEqual([
      { name: 'ConductorApi.blockDeviceMappingGetAllByInstance', at: 'libs/conductor-api/src/conductor-api.ts:9', callers: [] },
      {
        name: 'ConductorApi.instanceUpdate',
        at: 'libs/conductor-api/src/conductor-api.ts:7',
        callers: [
          'apps/compute-manager/src/manager.ts:37 ComputeManager.recordDetach call (apps/compute-manager)',
          'apps/compute-manager/src/virt-api.ts:10 ComputeVirtApi.instanceUpdate call (apps/compute-manager)',
        ],
      },
      { name: 'ConductorApi.notifyUsageExists', at: 'libs/conductor-api/src/conductor-api.ts:11', callers: [] },
      {
        // Imported under another name.
        name: 'instanceGetByUuid',
        at: 'libs/conductor-api/src/legacy-helpers.ts:7',
        callers: ['apps/compute-manager/src/virt-api.ts:17 ComputeVirtApi.refreshUsage call (apps/compute-manager)'],
      },
      {
        name: 'VirtApi.instanceUpdate',
        at: 'libs/virt-driver/src/virt-api.ts:9',
        callers: [
          // Through the manager's implementation of VirtApi.
          'apps/compute-manager/src/virt-api.ts:16 ComputeVirtApi.refreshUsage call (apps/compute-manager)',
          'libs/virt-fake/src/helpers.ts:10 recordTaskState call (libs/virt-fake)',
          'libs/virt-toy/src/host.ts:13 ToyHost.diagnostics reference (libs/virt-toy)',
        ],
      },
    ]);
    expect(report.legacyMethods.every((m) => m.package === m.file.split('/').slice(0, 2).join('/'))).toBe(true);
  });
});
