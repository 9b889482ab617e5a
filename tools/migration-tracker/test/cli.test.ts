import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MigrationReport } from '../src/model.js';
import { copyFixture, fixture, removeCopy } from './helpers.js';
import { cli } from './run-cli.js';

const TOOL = path.resolve(fixture('.'), '../..');
const REPO = path.resolve(TOOL, '../..');

describe('CLI', () => {
  let root = '';
  afterEach(() => removeCopy(root));

  it('prints a matrix with totals and a percentage', () => {
    const out = cli('--root', fixture('basic'));
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines[0]).toBe('Migration status: dicts → objects (6 work items, contract libs/virt-driver/src/compute-driver.ts)');
    expect(lines).toContain('work item        contract     compute-manager  virt-fake     virt-toy');
    expect(lines).toContain('destroy          ✔ converted  ✔ converted      ✘ legacy      ✔ converted');
    expect(lines).toContain('reset_network    ✔ converted  · no caller      ✔ converted*  ✔ converted*');
    expect(lines).toContain('converted                     3/6 (50%)        4/6 (66%)     4/6 (66%)');
    expect(lines).toContain('Overall: 11 of 18 cells converted (61%).');
    expect(out.stdout).toContain('  virt-fake  libs/virt-fake/src/helpers.ts:10  FakeDriver.destroy → forgetInstance → recordTaskState calls @legacy VirtApi.instanceUpdate');
    expect(out.stdout).toContain('Legacy methods (@legacy): 5 declared, 6 remaining callers');
  });

  it('--json prints exactly one JSON object', () => {
    const out = cli('--root', fixture('basic'), '--json');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as MigrationReport;
    expect(report.totals.map((t) => t.percent)).toEqual([50, 66, 66]);
    expect(report.workItems[0]!.components['compute-manager']!.evidence.length).toBeGreaterThan(0);
  });

  it('--markdown prints a table, or writes it to a file', () => {
    const out = cli('--root', fixture('basic'), '--markdown');
    expect(out.stdout).toContain('| work item | contract | `compute-manager` | `virt-fake` | `virt-toy` |');
    expect(out.stdout).toContain('| `destroy` | ✅ converted | ✅ converted | ❌ legacy | ✅ converted |');
    expect(out.stdout).toContain('| **converted** | | **3/6** (50%) | **4/6** (66%) | **4/6** (66%) |');
    expect(out.stdout).toContain('| `ConductorApi.notifyUsageExists` | `libs/conductor-api/src/conductor-api.ts:11` | none left |');

    root = copyFixture('basic');
    const file = path.join(root, 'status.md');
    const written = cli('--root', root, '--markdown', file);
    expect(written).toMatchObject({ code: 0, stdout: `migration-status: wrote ${file}\n` });
    expect(fs.readFileSync(file, 'utf8')).toBe(out.stdout);
  });

  it('rejects unknown or conflicting options with exit code 2', () => {
    expect(cli('--bogus')).toMatchObject({ code: 2 });
    expect(cli('--json', '--check').stderr).toContain('choose one of --json, --check');
    expect(cli('--manager-depth', 'x').code).toBe(2);
    expect(cli('--help')).toMatchObject({ code: 0 });
  });

  it('runs as `tsx --conditions=development src/cli.ts` and sets the exit code', () => {
    const tsx = path.join(REPO, 'node_modules/.bin/tsx');
    const stdout = execFileSync(tsx, ['--conditions=development', path.join(TOOL, 'src/cli.ts'), '--root', fixture('basic'), '--json'], { encoding: 'utf8' });
    expect((JSON.parse(stdout) as MigrationReport).workItems).toHaveLength(6);
    let code = 0;
    try {
      execFileSync(tsx, ['--conditions=development', path.join(TOOL, 'src/cli.ts'), '--root', fixture('no-contract'), '--check'], { stdio: 'pipe' });
    } catch (err) {
      code = (err as { status: number }).status;
    }
    expect(code).toBe(1);
  });
});
