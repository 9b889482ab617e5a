import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyFixture, edit, removeCopy, writeFile } from './helpers.js';
import { cli } from './run-cli.js';

const STATUS = 'tools/migration-tracker/status.json';

function readStatus(root: string): { components: string[]; workItems: Record<string, Record<string, string>>; converted: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(root, STATUS), 'utf8'));
}

describe('--write and --check', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('--write records the verdicts; --check then passes', () => {
    root = copyFixture('basic');
    const write = cli('--root', root, '--write');
    expect(write).toMatchObject({ code: 0, stderr: '' });
    expect(write.stdout).toBe(`migration-status: wrote ${STATUS} (compute-manager 3/6, virt-fake 4/6, virt-toy 4/6)\n`);
    const status = readStatus(root);
    expect(status.components).toEqual(['compute-manager', 'virt-fake', 'virt-toy']);
    expect(status.workItems['destroy']).toEqual({ contract: 'converted', 'compute-manager': 'converted', 'virt-fake': 'legacy', 'virt-toy': 'converted' });
    expect(status.workItems['reset_network']!['compute-manager']).toBe('no-caller');
    expect(status.converted).toEqual({ 'compute-manager': '3/6', 'virt-fake': '4/6', 'virt-toy': '4/6' });

    expect(cli('--root', root, '--check')).toEqual({ code: 0, stdout: `migration-status --check: OK, ${STATUS} matches the code.\n`, stderr: '' });
  });

  it('a stale status file fails, names the difference and says how to regenerate', () => {
    root = copyFixture('basic');
    cli('--root', root, '--write');
    // The code improved (virt-fake's destroy no longer writes back through VirtApi), the file did not follow.
    edit(root, 'libs/virt-fake/src/fake-driver.ts', (t) => t.replace('await forgetInstance(this.virtApi, instance);', 'await instance.save();'));
    const check = cli('--root', root, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      [
        'migration-status --check: FAILED',
        `✘ ${STATUS} is stale:`,
        '    destroy × virt-fake: recorded legacy, now converted',
        `Regenerate it with \`npm run migration-status -- --write\` and commit ${STATUS} with the change.`,
        '',
      ].join('\n'),
    );
  });

  it('a hand-edited or outdated file is stale too (any difference)', () => {
    root = copyFixture('basic');
    cli('--root', root, '--write');
    const status = readStatus(root);
    status.workItems['get_info']!['compute-manager'] = 'legacy';
    delete status.workItems['reset_network'];
    writeFile(root, STATUS, JSON.stringify(status));
    const check = cli('--root', root, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('    get_info × compute-manager: recorded legacy, now converted\n');
    expect(check.stderr).toContain('    work item reset_network is new (not in the status file)\n');

    // Only the totals disagree with the verdicts.
    cli('--root', root, '--write');
    const totalsOnly = readStatus(root);
    totalsOnly.converted['virt-fake'] = '5/6';
    writeFile(root, STATUS, JSON.stringify(totalsOnly));
    expect(cli('--root', root, '--check').stderr).toContain('    the status file differs from the generated one (totals or layout)\n');
  });

  it('a converted item that goes back to legacy is a regression, named with its evidence', () => {
    root = copyFixture('basic');
    cli('--root', root, '--write');
    edit(root, 'libs/virt-fake/src/fake-driver.ts', (t) =>
      t.replace(
        'return { state: this.known.has(instance.uuid) ? 1 : 0, memKiB: 0 };',
        'await forgetInstance(this.virtApi, instance);\n    return { state: this.known.has(instance.uuid) ? 1 : 0, memKiB: 0 };',
      ),
    );
    const check = cli('--root', root, '--check');
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('');
    expect(check.stderr).toBe(
      [
        'migration-status --check: FAILED',
        `✘ regression: get_info went back to legacy for virt-fake (recorded converted in ${STATUS})`,
        '    libs/virt-fake/src/helpers.ts:10  FakeDriver.getInfo → forgetInstance → recordTaskState calls @legacy VirtApi.instanceUpdate',
        'Fix the regression; if it is intended, regenerate with `npm run migration-status -- --write` and say why in the commit.',
        '',
      ].join('\n'),
    );
  });

  it('a contract regression names the contract and every component it drags down', () => {
    root = copyFixture('basic');
    cli('--root', root, '--write');
    edit(root, 'libs/virt-driver/src/compute-driver.ts', (t) => t.replace('getInfo(instance: Instance)', 'getInfo(instance: LegacyInstanceDict)'));
    const check = cli('--root', root, '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('✘ regression: get_info went back to legacy for contract');
    expect(check.stderr).toContain('    libs/virt-driver/src/compute-driver.ts:13  ComputeDriver.getInfo: `instance` is LegacyInstanceDict\n');
    for (const c of ['compute-manager', 'virt-fake', 'virt-toy']) expect(check.stderr).toContain(`✘ regression: get_info went back to legacy for ${c}`);
  });

  it('a missing status file fails with the regenerate hint; a new driver makes the file stale', () => {
    root = copyFixture('basic');
    const missing = cli('--root', root, '--check');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`✘ status file ${STATUS} does not exist\n`);
    expect(missing.stderr).toContain('--write');

    cli('--root', root, '--write');
    writeFile(root, 'libs/virt-new/package.json', JSON.stringify({ name: '@novakit/virt-new', type: 'module', exports: { '.': { development: './src/index.ts' } }, dependencies: { '@novakit/virt-driver': '*' } }));
    writeFile(root, 'libs/virt-new/src/index.ts', "import { ComputeDriverBase } from '@novakit/virt-driver';\nexport abstract class NewDriver extends ComputeDriverBase {}\n");
    expect(cli('--root', root, '--check').stderr).toContain('    component virt-new is new (not in the status file)\n');
  });

  it('--status points the check at another file', () => {
    root = copyFixture('basic');
    const other = path.join(root, 'elsewhere.json');
    expect(cli('--root', root, '--write', '--status', other).code).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
    expect(cli('--root', root, '--check', '--status', other).code).toBe(0);
  });
});
