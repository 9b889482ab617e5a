import type { Cell, ComponentCell, DriverCell, Evidence, MigrationReport, Verdict, WorkItemStatus } from './model.js';

const MARK: Record<Verdict, string> = { converted: '✔ converted', legacy: '✘ legacy', 'no-caller': '· no caller' };
const MD_MARK: Record<Verdict, string> = { converted: '✅ converted', legacy: '❌ legacy', 'no-caller': '➖ no caller' };

function isContractEvidence(e: Evidence): boolean {
  return e.kind === 'contract-param' || e.kind === 'contract-missing';
}

function usesDefaultOnly(cell: ComponentCell): boolean {
  const d = cell as Partial<DriverCell>;
  return d.implementations !== undefined && d.implementations.length === 0 && (d.inheritsDefault?.length ?? 0) > 0;
}

function cellLabel(cell: Cell, marks: Record<Verdict, string>): string {
  return `${marks[cell.verdict]}${usesDefaultOnly(cell as ComponentCell) ? '*' : ''}`;
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - [...s].length));
}

function table(rows: string[][], gap = 2): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]! + gap))).join('').trimEnd());
}

function loc(e: { file: string; line: number }): string {
  return `${e.file}:${e.line}`;
}

function problemLines(report: MigrationReport): string[] {
  return report.problems.map((p) => `${p.severity === 'error' ? '✘ error' : '! warning'}: ${p.message}`);
}

/** Evidence lines shown per cell in the terminal; `--json` and `--markdown` list them all. */
const TEXT_EVIDENCE_LIMIT = 5;

/** Lines explaining one non-converted cell, contract evidence left to the contract line. */
function cellEvidence(item: WorkItemStatus, name: string, cell: ComponentCell, report: MigrationReport, limit = Infinity): string[] {
  if (cell.verdict === 'no-caller') {
    const path = report.components.find((c) => c.name === name)?.path ?? name;
    return [`no call site of ComputeDriver.${item.method} in ${path}`];
  }
  const own = cell.evidence.filter((e) => !isContractEvidence(e));
  if (own.length === 0) return cell.verdict === 'legacy' ? ['legacy because of the contract only'] : [];
  const lines = own.slice(0, limit).map((e) => `${loc(e)}  ${e.message}`);
  if (own.length > limit) lines.push(`… ${own.length - limit} more (--json or --markdown list them all)`);
  return lines;
}

/** The matrix people read in a terminal, then evidence and the legacy-method census. */
export function renderText(report: MigrationReport): string {
  const out: string[] = [];
  const items = report.workItems;
  out.push(`Migration status: dicts → objects (${items.length} work items, contract ${report.contractFile})`);
  out.push('');
  const errors = problemLines(report);
  if (errors.length > 0) {
    out.push(...errors, '');
  }
  if (items.length === 0) {
    out.push('No matrix: the contract or the work-item table cannot be read (see above).', '');
  } else {
    const names = report.components.map((c) => c.name);
    const rows: string[][] = [['work item', 'contract', ...names]];
    for (const w of items) rows.push([w.name, cellLabel(w.contract, MARK), ...names.map((n) => cellLabel(w.components[n]!, MARK))]);
    rows.push(['', '', ...names.map(() => '')]);
    rows.push(['converted', '', ...report.totals.map((t) => `${t.converted}/${t.total} (${t.percent}%)`)]);
    rows.push(['legacy', '', ...report.totals.map((t) => String(t.legacy))]);
    if (report.totals.some((t) => t.noCaller > 0)) rows.push(['no caller', '', ...report.totals.map((t) => String(t.noCaller))]);
    out.push(...table(rows));
    out.push('');
    out.push(`Overall: ${report.overall.converted} of ${report.overall.cells} cells converted (${report.overall.percent}%).`);
    if (items.some((w) => Object.values(w.components).some(usesDefaultOnly))) {
      out.push('* the driver keeps ComputeDriverBase\'s default for this method.');
    }
    for (const s of report.skippedPackages) out.push(`(not a driver: ${s.path}, ${s.reason})`);

    const pending = items.filter((w) => w.contract.verdict !== 'converted' || Object.values(w.components).some((c) => c.verdict !== 'converted'));
    if (pending.length > 0) {
      out.push('', 'Evidence', '');
      for (const w of pending) {
        out.push(`${w.name} (${w.method})`);
        const rowsE: string[][] = [];
        for (const e of w.contract.evidence) rowsE.push(['  contract', `${loc(e)}  ${e.message}`]);
        for (const [name, cell] of Object.entries(w.components)) {
          if (cell.verdict === 'converted') continue;
          cellEvidence(w, name, cell, report, TEXT_EVIDENCE_LIMIT).forEach((line, i) => rowsE.push([i === 0 ? `  ${name}` : '', line]));
        }
        out.push(...table(rowsE));
      }
    }
  }

  out.push('', ...renderLegacyText(report));
  out.push('', `Scanned ${report.stats.sourceFiles} source files in ${(report.stats.durationMs / 1000).toFixed(1)} s.`);
  return `${out.join('\n')}\n`;
}

function renderLegacyText(report: MigrationReport): string[] {
  const methods = report.legacyMethods;
  const callers = methods.reduce((n, m) => n + m.callers.length, 0);
  const out = [`Legacy methods (@legacy): ${methods.length} declared, ${callers} remaining callers`];
  for (const m of methods) {
    const count = m.callers.length === 0 ? 'no caller left' : `${m.callers.length} caller${m.callers.length === 1 ? '' : 's'}`;
    out.push(`  ${m.name}  (${loc(m)})  ${count}`);
    out.push(...table(m.callers.map((c) => [`      ${loc(c)}`, `${c.function}${c.kind === 'reference' ? ' (used as a value)' : ''}`])));
  }
  return out;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** A report for the README or a pull request. */
export function renderMarkdown(report: MigrationReport): string {
  const out: string[] = ['# Migration status: dicts → objects', ''];
  const items = report.workItems;
  for (const p of report.problems) out.push(`- **${p.severity}**: ${mdEscape(p.message)}`);
  if (report.problems.length > 0) out.push('');
  if (items.length === 0) {
    out.push('No matrix: the contract or the work-item table cannot be read.', '');
  } else {
    const names = report.components.map((c) => c.name);
    out.push(
      `${items.length} work items from \`${report.workItemsFile}\`; contract \`${report.contractFile}\`. ` +
        `Overall **${report.overall.converted} of ${report.overall.cells}** cells converted (${report.overall.percent}%).`,
      '',
    );
    out.push(`| work item | contract | ${names.map((n) => `\`${n}\``).join(' | ')} |`);
    out.push(`|---|---|${names.map(() => '---').join('|')}|`);
    for (const w of items) {
      out.push(`| \`${w.name}\` | ${cellLabel(w.contract, MD_MARK)} | ${names.map((n) => cellLabel(w.components[n]!, MD_MARK)).join(' | ')} |`);
    }
    out.push(`| **converted** | | ${report.totals.map((t) => `**${t.converted}/${t.total}** (${t.percent}%)`).join(' | ')} |`);
    if (items.some((w) => Object.values(w.components).some(usesDefaultOnly))) {
      out.push('', '\\* the driver keeps `ComputeDriverBase`\'s default for this method.');
    }
    const pending = items.filter((w) => w.contract.verdict !== 'converted' || Object.values(w.components).some((c) => c.verdict !== 'converted'));
    if (pending.length > 0) {
      out.push('', '## Evidence', '', `<details><summary>${pending.length} work items not fully converted</summary>`, '');
      for (const w of pending) {
        out.push(`### \`${w.name}\``, '');
        for (const e of w.contract.evidence) out.push(`- contract: \`${loc(e)}\` ${mdEscape(e.message)}`);
        for (const [name, cell] of Object.entries(w.components)) {
          if (cell.verdict === 'converted') continue;
          for (const line of cellEvidence(w, name, cell, report)) {
            const [where, ...rest] = line.split('  ');
            out.push(rest.length > 0 ? `- ${name}: \`${where}\` ${mdEscape(rest.join('  '))}` : `- ${name}: ${mdEscape(line)}`);
          }
        }
        out.push('');
      }
      out.push('</details>', '');
    }
  }
  const methods = report.legacyMethods;
  out.push('## Legacy methods still called', '');
  if (methods.length === 0) {
    out.push('No `@legacy` declaration left.');
  } else {
    out.push('| method | declared | callers |', '|---|---|---|');
    for (const m of methods) {
      const callers = m.callers.length === 0 ? 'none left' : m.callers.map((c) => `\`${loc(c)}\` ${mdEscape(c.function)}`).join('<br>');
      out.push(`| \`${m.name}\` | \`${loc(m)}\` | ${callers} |`);
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** `--json`: the report as one JSON object. */
export function renderJson(report: MigrationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
