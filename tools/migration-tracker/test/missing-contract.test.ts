import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/scan.js';
import { copyFixture, fixture, removeCopy } from './helpers.js';
import { cli } from './run-cli.js';

describe('a repository without the contract (novakit before the contract lands)', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('does not crash: it reports the missing contract and work-item table, and still counts legacy callers', () => {
    const report = scanRepository({ root: fixture('no-contract') });
    expect(report.problems).toEqual([
      { severity: 'error', code: 'contract-missing', message: 'the driver contract is missing: libs/virt-driver/src/compute-driver.ts does not exist' },
      { severity: 'error', code: 'work-items-missing', message: 'the work-item table is missing: libs/virt-driver/src/work-items.ts does not exist' },
    ]);
    expect(report.workItems).toEqual([]);
    expect(report.components).toEqual([]);
    expect(report.legacyMethods).toMatchObject([
      { name: 'ConductorApi.instanceUpdate', callers: [{ file: 'apps/compute-manager/src/index.ts', line: 4, function: 'markDeleting' }] },
    ]);
  });

  it('prints the problem in the matrix output and exits 0', () => {
    const out = cli('--root', fixture('no-contract'));
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('✘ error: the driver contract is missing: libs/virt-driver/src/compute-driver.ts does not exist\n');
    expect(out.stdout).toContain('No matrix: the contract or the work-item table cannot be read');
  });

  it('--check fails with the message, and --write refuses', () => {
    const check = cli('--root', fixture('no-contract'), '--check');
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      [
        'migration-status --check: FAILED',
        '✘ the driver contract is missing: libs/virt-driver/src/compute-driver.ts does not exist',
        '✘ the work-item table is missing: libs/virt-driver/src/work-items.ts does not exist',
        '',
      ].join('\n'),
    );
    root = copyFixture('no-contract');
    const write = cli('--root', root, '--write');
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('not writing tools/migration-tracker/status.json');
    expect(fs.existsSync(`${root}/tools/migration-tracker/status.json`)).toBe(false);
  });

  it('a contract without the work-item table is reported as such', () => {
    root = copyFixture('basic');
    fs.rmSync(`${root}/libs/virt-driver/src/work-items.ts`);
    fs.writeFileSync(`${root}/libs/virt-driver/src/index.ts`, fs.readFileSync(`${root}/libs/virt-driver/src/index.ts`, 'utf8').replace("export { WORK_ITEMS } from './work-items.js';\n", ''));
    const report = scanRepository({ root });
    expect(report.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([
      'the work-item table is missing: libs/virt-driver/src/work-items.ts does not exist',
    ]);
  });
});
