/**
 * Tracks the dict → object migration per work item, from the code (TypeScript compiler API,
 * no runtime import of the code it checks).
 *
 * @example
 * import { scanRepository } from '@novakit/migration-tracker';
 * const report = scanRepository({ root: '/path/to/novakit' });
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
