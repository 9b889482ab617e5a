import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ComponentCell, Evidence, MigrationReport, WorkItemStatus } from '../src/model.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** A private copy of a fixture, for tests that edit code or write a status file. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migration-tracker-${name}-`));
  fs.cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

export function removeCopy(dir: string): void {
  if (dir.startsWith(os.tmpdir())) fs.rmSync(dir, { recursive: true, force: true });
}

export function edit(root: string, file: string, change: (text: string) => string): void {
  const p = path.join(root, file);
  const before = fs.readFileSync(p, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  fs.writeFileSync(p, after);
}

export function writeFile(root: string, file: string, text: string): void {
  const p = path.join(root, file);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

export function item(report: MigrationReport, name: string): WorkItemStatus {
  const found = report.workItems.find((w) => w.name === name);
  if (found === undefined) throw new Error(`no work item ${name}`);
  return found;
}

export function cell(report: MigrationReport, name: string, component: string): ComponentCell {
  const c = item(report, name).components[component];
  if (c === undefined) throw new Error(`no component ${component}`);
  return c;
}

/** Evidence without the contract's own lines. */
export function own(c: { evidence: Evidence[] }): Evidence[] {
  return c.evidence.filter((e) => e.kind !== 'contract-param' && e.kind !== 'contract-missing');
}

export function at(e: Evidence): string {
  return `${e.file}:${e.line}`;
}
