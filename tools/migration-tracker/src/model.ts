/**
 * The report the tracker produces. Everything here is plain data (JSON-serialisable):
 * `--json` prints a `MigrationReport`, and `status.json` is derived from it.
 *
 * Paths are relative to the repository root, with forward slashes; lines are 1-based.
 */

/**
 * Verdict for one (work item × component) cell.
 * - `converted`: the contract takes the `Instance` object and nothing legacy was found.
 * - `legacy`: the contract still takes `LegacyInstanceDict`, or a legacy use was found.
 * - `no-caller`: manager only; the manager never calls this driver method.
 */
export type Verdict = 'converted' | 'legacy' | 'no-caller';

export interface SourceLocation {
  file: string;
  line: number;
}

/** One function on the way from a root (driver method, manager caller) to a legacy use. */
export interface ChainStep extends SourceLocation {
  name: string;
}

export type EvidenceKind =
  /** A contract parameter (or a property of a parameter object) typed `LegacyInstanceDict`. */
  | 'contract-param'
  /** The contract does not let the tracker decide (method missing, no `Instance` parameter). */
  | 'contract-missing'
  /** A driver's implementation declares a `LegacyInstanceDict` parameter. */
  | 'implementation-param'
  /** A call to a `@legacy` method, reached from the root through `chain`. */
  | 'legacy-call'
  /** A `@legacy` method used as a value (bound, passed as a callback), reached through `chain`. */
  | 'legacy-reference'
  /** A manager call site passing a `LegacyInstanceDict` where the contract has the instance. */
  | 'legacy-argument'
  /** A manager call site passing `any` (or a spread) where the contract has the instance. */
  | 'untyped-argument';

export interface Evidence extends SourceLocation {
  kind: EvidenceKind;
  message: string;
  /** For reached uses: the functions from the root to the one containing the use. */
  chain?: ChainStep[];
}

export interface Cell {
  verdict: Verdict;
  /** Every legacy use found for this cell, contract evidence first. Empty when converted. */
  evidence: Evidence[];
}

export interface ContractCell extends Cell {
  /** Where the work item's method is declared on `ComputeDriver`. */
  declaration?: SourceLocation;
}

export interface DriverImplementation extends SourceLocation {
  /** `Class.method` of the implementation that runs for this driver class. */
  name: string;
  /** The driver class this implementation was resolved from. */
  driverClass: string;
}

export interface DriverCell extends Cell {
  /** The driver's implementations of the method (own lib only). */
  implementations: DriverImplementation[];
  /** Driver classes that keep `ComputeDriverBase`'s default for this method. */
  inheritsDefault: string[];
}

export interface ManagerCell extends Cell {
  callSites: (SourceLocation & { function: string })[];
}

export type ComponentCell = DriverCell | ManagerCell;

export interface WorkItemStatus {
  /** snake_case work-item name (`attach_volume`). */
  name: string;
  /** The contract method (`attachVolume`). */
  method: string;
  /** Where the entry sits in `work-items.ts`. */
  location: SourceLocation;
  contract: ContractCell;
  /** Keyed by component name (`compute-manager`, then each driver lib folder name). */
  components: Record<string, ComponentCell>;
}

export interface Component {
  /** Folder name: `compute-manager`, `virt-fake`, … */
  name: string;
  kind: 'manager' | 'driver';
  /** Package folder relative to the root (`libs/virt-fake`). */
  path: string;
  /** Driver classes found (drivers only). */
  classes: (SourceLocation & { name: string })[];
}

export interface ComponentTotals {
  component: string;
  converted: number;
  legacy: number;
  noCaller: number;
  total: number;
  /** converted / total, rounded to an integer percentage. */
  percent: number;
}

export interface LegacyCaller extends SourceLocation {
  /** The enclosing function (`ComputeManager.attachVolume`), or `<module>`. */
  function: string;
  /** Package folder of the caller (`apps/compute-manager`). */
  package: string;
  kind: 'call' | 'reference';
}

export interface LegacyMethod extends SourceLocation {
  /** `Container.member` of the declaration carrying `@legacy`. */
  name: string;
  /** Package folder declaring it (`libs/conductor-api`). */
  package: string;
  callers: LegacyCaller[];
}

export interface Problem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface SkippedPackage {
  path: string;
  reason: string;
}

export interface MigrationReport {
  /** Absolute path of the scanned repository. */
  root: string;
  contractFile: string;
  workItemsFile: string;
  workItems: WorkItemStatus[];
  components: Component[];
  /** Packages depending on `@novakit/virt-driver` that declare no driver class. */
  skippedPackages: SkippedPackage[];
  totals: ComponentTotals[];
  overall: { converted: number; cells: number; percent: number };
  /** Every `@legacy` declaration of the repo with its remaining callers. */
  legacyMethods: LegacyMethod[];
  problems: Problem[];
  stats: { sourceFiles: number; durationMs: number; managerDepth: number };
}
