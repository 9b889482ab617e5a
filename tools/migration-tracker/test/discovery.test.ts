import { afterEach, describe, expect, it } from 'vitest';
import type { DriverCell } from '../src/model.js';
import { scanRepository } from '../src/scan.js';
import { cell, copyFixture, removeCopy, writeFile } from './helpers.js';

const NEW_DRIVER = `import type { Instance } from '@novakit/objects';
import { ComputeDriverBase, type InstanceInfo } from '@novakit/virt-driver';

export class NewDriver extends ComputeDriverBase {
  async getInfo(instance: Instance): Promise<InstanceInfo> {
    return { state: instance.host === null ? 0 : 1, memKiB: 0 };
  }
}
`;

function driverPackage(name: string, deps: string): string {
  return JSON.stringify({ name, private: true, type: 'module', exports: { '.': { development: './src/index.ts' } }, dependencies: JSON.parse(deps) }, null, 2);
}

describe('driver discovery', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('picks up a new driver folder without any change to the tool', () => {
    root = copyFixture('basic');
    expect(scanRepository({ root }).components.map((c) => c.name)).toEqual(['compute-manager', 'virt-fake', 'virt-toy']);

    writeFile(root, 'libs/virt-new/package.json', driverPackage('@novakit/virt-new', '{"@novakit/virt-driver": "*", "@novakit/objects": "*"}'));
    writeFile(root, 'libs/virt-new/src/index.ts', "export { NewDriver } from './new-driver.js';\n");
    writeFile(root, 'libs/virt-new/src/new-driver.ts', NEW_DRIVER);

    const report = scanRepository({ root });
    expect(report.components.map((c) => c.name)).toEqual(['compute-manager', 'virt-fake', 'virt-new', 'virt-toy']);
    expect(report.components.find((c) => c.name === 'virt-new')).toMatchObject({
      kind: 'driver',
      path: 'libs/virt-new',
      classes: [{ name: 'NewDriver', file: 'libs/virt-new/src/new-driver.ts', line: 4 }],
    });
    expect(cell(report, 'get_info', 'virt-new')).toMatchObject({ verdict: 'converted', evidence: [] });
    expect((cell(report, 'destroy', 'virt-new') as DriverCell).inheritsDefault).toEqual(['NewDriver']);
    expect(cell(report, 'attach_volume', 'virt-new').verdict).toBe('legacy');
    expect(report.totals.find((t) => t.component === 'virt-new')).toMatchObject({ converted: 5, legacy: 1, total: 6 });
  });

  it('warns about a driver class in a lib whose package.json lacks the virt-driver dependency', () => {
    root = copyFixture('basic');
    writeFile(root, 'libs/virt-stray/package.json', driverPackage('@novakit/virt-stray', '{"@novakit/objects": "*"}'));
    writeFile(root, 'libs/virt-stray/src/index.ts', NEW_DRIVER.replace('NewDriver', 'StrayDriver'));
    const report = scanRepository({ root });
    expect(report.components.map((c) => c.name)).not.toContain('virt-stray');
    expect(report.problems).toContainEqual({
      severity: 'warning',
      code: 'undeclared-driver',
      message: 'libs/virt-stray declares StrayDriver extending ComputeDriverBase but its package.json does not depend on @novakit/virt-driver: not tracked',
    });
  });
});
