import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceReport, CoverageStatus } from './recorder.js';

export const REPORT_DIR_ENV = 'NOVAKIT_CONFORMANCE_REPORT_DIR';

/** Where reports go: the suite's option, else $NOVAKIT_CONFORMANCE_REPORT_DIR, else <tmp>/novakit-conformance. */
export function reportDirectory(option?: string): string {
  return option ?? process.env[REPORT_DIR_ENV] ?? join(tmpdir(), 'novakit-conformance');
}

export function writeReport(report: ConformanceReport, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${report.driver}.conformance.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

const MARK: Readonly<Record<CoverageStatus, string>> = { exercised: 'ok  ', 'not supported': 'n/s ', failed: 'FAIL', 'not exercised': '--  ' };

/** A few lines for the test log: totals, then every work item and every method that is not exercised. */
export function formatSummary(report: ConformanceReport, path: string): string {
  const s = report.summary;
  const totals = (t: Readonly<Record<CoverageStatus, number>>) => `${t.exercised} exercised, ${t['not supported']} not supported, ${t.failed} failed, ${t['not exercised']} not exercised`;
  const lines = [
    `conformance of driver "${report.driver}" (${path})`,
    `  work items: ${totals(s.workItems)}`,
    `  methods:    ${totals(s.methods)}`,
    `  cases:      ${s.cases.passed} passed, ${s.cases.failed} failed, ${s.cases.skipped} skipped`,
  ];
  for (const [name, c] of Object.entries(report.workItems)) lines.push(`  ${MARK[c.status]} work item ${name}${c.status === 'exercised' ? '' : ` (${c.status})`}`);
  for (const [name, c] of Object.entries(report.methods)) if (c.status !== 'exercised') lines.push(`  ${MARK[c.status]} method ${name}: ${c.status}${c.status !== 'not supported' && c.notes.length ? ` — ${c.notes[0]}` : ''}`);
  return lines.join('\n');
}
