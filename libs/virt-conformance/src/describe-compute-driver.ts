import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ComputeDriver, ImageMeta } from '@novakit/virt-driver';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ConformanceCase } from './cases/case.js';
import { FIREWALL_CASES } from './cases/firewall.js';
import { HOST_CASES } from './cases/host.js';
import { LIFECYCLE_CASES } from './cases/lifecycle.js';
import { MIGRATION_CASES } from './cases/migration.js';
import { NAMING_CASES } from './cases/naming.js';
import { NETWORK_CASES } from './cases/network.js';
import { OBSERVE_CASES } from './cases/observe.js';
import { SUPPORT_CASES } from './cases/support.js';
import { VOLUME_CASES } from './cases/volumes.js';
import { DRIVER_EXPECTATIONS, type DriverExpectations } from './expectations.js';
import { CaseEnded, CaseEnv, type ConformanceHost, type DriverInspector, type SuiteSetup } from './harness.js';
import { buildReport, CoverageRecorder, type ConformanceReport } from './recorder.js';
import { formatSummary, reportDirectory, writeReport } from './report.js';
import { createTestImage } from './test-data.js';

/** Every case of the suite, in the order it runs. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...SUPPORT_CASES,
  ...HOST_CASES,
  ...LIFECYCLE_CASES,
  ...OBSERVE_CASES,
  ...VOLUME_CASES,
  ...NAMING_CASES,
  ...NETWORK_CASES,
  ...FIREWALL_CASES,
  ...MIGRATION_CASES,
];

/** Runs only the suites of the drivers it lists (comma-separated), e.g. `NOVAKIT_CONFORMANCE_DRIVERS=fake`. */
export const DRIVERS_ENV = 'NOVAKIT_CONFORMANCE_DRIVERS';

export interface DescribeComputeDriverOptions {
  /** The driver's configured name; also the key of its DRIVER_EXPECTATIONS entry and of its report. */
  readonly name: string;
  /**
   * Build the driver of one host. Called once per host a case needs (most need one, migration
   * and shared-storage cases two, a restart case a second driver for the same host); the suite
   * calls initHost itself. May be async.
   */
  readonly createDriver: (host: ConformanceHost) => ComputeDriver | Promise<ComputeDriver>;
  /** Teardown after each case, once the suite destroyed the case's instances and called cleanupHost. */
  readonly destroyDriver?: (driver: ComputeDriver, host: ConformanceHost) => void | Promise<void>;
  /** Default: DRIVER_EXPECTATIONS[name]; a driver without an entry is refused. */
  readonly expectations?: DriverExpectations;
  readonly inspector?: DriverInspector;
  /** The image every spawn boots; default a 1 MiB blank raw file in the suite's directory. */
  readonly image?: (workDir: string) => ImageMeta | Promise<ImageMeta>;
  /** Where the JSON report goes; default $NOVAKIT_CONFORMANCE_REPORT_DIR, else <tmp>/novakit-conformance. */
  readonly reportDir?: string;
  /**
   * Why the suite cannot run here (e.g. "qemu-system-x86_64 not found"): it is skipped with that
   * reason printed, or fails when NOVAKIT_REQUIRE_SERVICES=1.
   */
  readonly skip?: string | null;
}

export interface ConformanceSuite {
  readonly name: string;
  /** Where the JSON report is written when the suite ends. */
  readonly reportPath: string;
  /** The report of the cases run so far (complete after the suite). */
  report(): ConformanceReport;
}

function messageOf(e: unknown): string {
  return (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!.slice(0, 500);
}

/**
 * The conformance suite of one driver: registers a vitest `describe` with one test per case of
 * CONFORMANCE_CASES, and writes and prints the coverage report (every contract method and work
 * item: exercised, not supported, failed or not exercised) when it ends. Call it once per
 * driver, at the top level of the driver's `test/conformance.test.ts`.
 */
export function describeComputeDriver(options: DescribeComputeDriverOptions): ConformanceSuite {
  const { name } = options;
  const expectations = options.expectations ?? DRIVER_EXPECTATIONS[name];
  if (!expectations) throw new Error(`No conformance expectations for driver "${name}": add its entry to DRIVER_EXPECTATIONS in libs/virt-conformance, or pass expectations.`);
  const recorder = new CoverageRecorder();
  const reportDir = reportDirectory(options.reportDir);
  const suite: ConformanceSuite = {
    name,
    reportPath: join(reportDir, `${name}.conformance.json`),
    report: () => buildReport(name, recorder.capabilities, recorder.cases),
  };
  const title = `ComputeDriver conformance: ${name}`;
  const only = process.env[DRIVERS_ENV]?.split(',').map((s) => s.trim());
  const skip = options.skip || (only && !only.includes(name) ? `${DRIVERS_ENV} does not list ${name}` : null);
  if (skip) {
    if (options.skip && process.env.NOVAKIT_REQUIRE_SERVICES === '1') {
      describe(title, () => it('has what it needs', () => Promise.reject(new Error(`NOVAKIT_REQUIRE_SERVICES=1 but: ${skip}`))));
    } else {
      console.log(`${title}: skipped, ${skip}`);
      describe.skip(title, () => it('skipped', () => {}));
    }
    return suite;
  }

  describe(title, () => {
    let setup: SuiteSetup;
    beforeAll(async () => {
      const workDir = await mkdtemp(join(tmpdir(), `novakit-conformance-${name}-`));
      const image = await (options.image ? options.image(workDir) : createTestImage(workDir));
      setup = { name, createDriver: options.createDriver, destroyDriver: options.destroyDriver, expectations, inspector: options.inspector ?? {}, workDir, image };
    });
    afterAll(async () => {
      const report = suite.report();
      console.log(formatSummary(report, writeReport(report, reportDir)));
      if (setup) await rm(setup.workDir, { recursive: true, force: true });
    });

    CONFORMANCE_CASES.forEach((c, index) => {
      if (c.liveMigration && expectations.liveMigration !== true) {
        recorder.begin(c.title, c.covers).finish('skipped', expectations.liveMigration.skip);
        it.skip(c.title, () => {});
        return;
      }
      it(
        c.title,
        async () => {
          const recording = recorder.begin(c.title, c.covers);
          const env = new CaseEnv(setup, recording, c.covers, `c${index}`);
          let error: unknown = null;
          try {
            await c.run(env);
          } catch (e) {
            if (!(e instanceof CaseEnded)) error = e;
          }
          recorder.capabilities ??= env.knownCapabilities();
          try {
            await env.teardown();
          } catch (e) {
            error ??= e;
          }
          recording.finish(error ? 'failed' : 'passed', error ? messageOf(error) : undefined);
          if (error) throw error;
        },
        expectations.timeoutMs,
      );
    });
  });
  return suite;
}
