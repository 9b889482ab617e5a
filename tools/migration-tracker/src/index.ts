/**
 * Tracks the dict → object migration per work item, from the code (TypeScript compiler API,
 * no runtime import of the code it checks).
 *
 * @example
 * import { scanRepository, renderText } from '@novakit/migration-tracker';
 * process.stdout.write(renderText(scanRepository({ root: '/path/to/novakit' })));
 */
export type {
  ChainStep,
  Cell,
  Component,
  ComponentCell,
  ComponentTotals,
  ContractCell,
  DriverCell,
  Evidence,
  EvidenceKind,
  LegacyCaller,
  LegacyMethod,
  ManagerCell,
  MigrationReport,
  Problem,
  SourceLocation,
  Verdict,
  WorkItemStatus,
} from './model.js';
export { scanRepository, hasErrors, type ScanOptions } from './scan.js';
export { renderJson, renderMarkdown, renderText } from './report.js';
export { STATUS_FILE, checkStatus, formatCheck, readStatus, serializeStatus, statusFromReport, type CheckResult, type StatusFile } from './status.js';
export { run, USAGE, type Io } from './main.js';
