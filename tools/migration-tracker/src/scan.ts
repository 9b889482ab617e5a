import { legacyCensus } from './census.js';
import { CONTRACT_PATH, WORK_ITEMS_PATH, readContract } from './contract.js';
import { driverCell, findDrivers } from './drivers.js';
import { DeclarationGraph } from './legacy.js';
import { DEFAULT_MANAGER_DEPTH, managerCells } from './manager.js';
import type { ComponentCell, ComponentTotals, MigrationReport, Problem, WorkItemStatus } from './model.js';
import { Locator } from './ts-util.js';
import { loadWorkspace } from './workspace.js';

export interface ScanOptions {
  /** Repository root (holds tsconfig.base.json, libs/, apps/). */
  root: string;
  /** See `DEFAULT_MANAGER_DEPTH`. */
  managerDepth?: number;
}

/**
 * Scans a repository with one `ts.Program` and decides, per work item and component,
 * converted or legacy, with evidence. Never throws on a repo without a contract: the report
 * then carries `error` problems and no work items.
 */
export function scanRepository(options: ScanOptions): MigrationReport {
  const started = performance.now();
  const managerDepth = options.managerDepth ?? DEFAULT_MANAGER_DEPTH;
  const ws = loadWorkspace(options.root);
  const problems: Problem[] = [...ws.problems];
  const locator = new Locator(ws.root);
  const graph = new DeclarationGraph(ws.program.getTypeChecker());
  const contract = readContract(ws, locator, problems);

  const report: MigrationReport = {
    root: ws.root,
    contractFile: contract?.contractFile ?? `libs/virt-driver/${CONTRACT_PATH}`,
    workItemsFile: contract?.workItemsFile ?? `libs/virt-driver/${WORK_ITEMS_PATH}`,
    workItems: [],
    components: [],
    skippedPackages: [],
    totals: [],
    overall: { converted: 0, cells: 0, percent: 0 },
    legacyMethods: legacyCensus(ws, graph, locator),
    problems,
    stats: { sourceFiles: ws.sourceFiles.length, durationMs: 0, managerDepth },
  };

  if (contract !== undefined) {
    const manager = managerCells(ws, contract, graph, locator, managerDepth, problems);
    const { drivers, skipped } = findDrivers(ws, contract, graph, locator, problems);
    if (drivers.length === 0) problems.push({ severity: 'warning', code: 'no-drivers', message: 'no driver lib found under libs/' });
    report.components = [manager.component, ...drivers.map((d) => d.component)];
    report.skippedPackages = skipped;
    report.workItems = contract.methods.map((m): WorkItemStatus => {
      const components: Record<string, ComponentCell> = { [manager.component.name]: manager.cells.get(m.item.name)! };
      for (const d of drivers) components[d.component.name] = driverCell(ws, contract, d, m, locator);
      return { name: m.item.name, method: m.item.method, location: locator.loc(m.item.node), contract: m.cell, components };
    });
    report.totals = report.components.map((c): ComponentTotals => {
      const verdicts = report.workItems.map((w) => w.components[c.name]!.verdict);
      const converted = verdicts.filter((v) => v === 'converted').length;
      return {
        component: c.name,
        converted,
        legacy: verdicts.filter((v) => v === 'legacy').length,
        noCaller: verdicts.filter((v) => v === 'no-caller').length,
        total: verdicts.length,
        percent: percent(converted, verdicts.length),
      };
    });
    const converted = report.totals.reduce((n, t) => n + t.converted, 0);
    const cells = report.totals.reduce((n, t) => n + t.total, 0);
    report.overall = { converted, cells, percent: percent(converted, cells) };
  }
  report.stats.durationMs = Math.round(performance.now() - started);
  return report;
}

function percent(n: number, of: number): number {
  return of === 0 ? 0 : Math.floor((100 * n) / of);
}

export function hasErrors(report: MigrationReport): boolean {
  return report.problems.some((p) => p.severity === 'error');
}
