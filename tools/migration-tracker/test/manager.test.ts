import { afterEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/scan.js';
import { at, cell, copyFixture, edit, own, removeCopy } from './helpers.js';

const MANAGER = 'apps/compute-manager/src/manager.ts';

describe('manager rules', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('an `any` instance argument is not proof of an object', () => {
    root = copyFixture('basic');
    edit(root, MANAGER, (t) => t.replace('return this.driver.getInfo(instance);', 'const raw: any = instance;\n    return this.driver.getInfo(raw);'));
    const c = cell(scanRepository({ root }), 'get_info', 'compute-manager');
    expect(c.verdict).toBe('legacy');
    expect(own(c).map((e) => [e.kind, at(e), e.message])).toEqual([
      ['untyped-argument', `${MANAGER}:17`, 'passes `any` as `instance` of ComputeDriver.getInfo: cannot prove it is an object'],
    ]);
  });

  it('follows the app\'s own calls around a call site up to the depth bound', () => {
    root = copyFixture('basic');
    edit(root, MANAGER, (t) =>
      t
        .replace('return this.driver.getDiagnostics(instance);', 'await this.step1(instance.uuid);\n    return this.driver.getDiagnostics(instance);')
        .replace(
          '  private async recordDetach',
          `  private async step1(uuid: string): Promise<void> {
    await this.step2(uuid);
  }

  private async step2(uuid: string): Promise<void> {
    await this.step3(uuid);
  }

  private async step3(uuid: string): Promise<void> {
    await this.conductor.notifyUsageExists(uuid);
  }

  private async recordDetach`,
        ),
    );
    // getDiagnostics → step1 → step2 → step3 (3 calls away) → notifyUsageExists.
    expect(cell(scanRepository({ root, managerDepth: 2 }), 'get_diagnostics', 'compute-manager').verdict).toBe('converted');
    const c = cell(scanRepository({ root, managerDepth: 3 }), 'get_diagnostics', 'compute-manager');
    expect(c.verdict).toBe('legacy');
    expect(own(c)[0]?.message).toBe(
      'ComputeManager.getDiagnostics → ComputeManager.step1 → ComputeManager.step2 → ComputeManager.step3 calls @legacy ConductorApi.notifyUsageExists',
    );
  });

  it('counts calls through a legacy implementation (the manager\'s own VirtApi) as legacy', () => {
    root = copyFixture('basic');
    edit(root, MANAGER, (t) =>
      t
        .replace("import type { Instance } from '@novakit/objects';", "import type { Instance } from '@novakit/objects';\nimport type { ComputeVirtApi } from './virt-api.js';")
        .replace('private readonly conductor: ConductorApi,', 'private readonly conductor: ConductorApi,\n    private readonly virtApi: ComputeVirtApi,')
        .replace('await this.driver.destroy(instance);', 'await this.driver.destroy(instance);\n    await this.virtApi.instanceUpdate(instance.uuid, {});'),
    );
    const c = cell(scanRepository({ root }), 'destroy', 'compute-manager');
    expect(own(c).map((e) => e.message)).toEqual(['ComputeManager.terminateInstance calls @legacy VirtApi.instanceUpdate']);
  });
});
