/**
 * @novakit/virt-conformance — the one suite every virt driver runs (Nova's
 * test_virt_drivers.py, made stricter). `describeComputeDriver` registers a vitest suite that
 * plays every contract method and all 25 work items through scenarios on one or two hosts the
 * driver's factory builds, and ends with a report saying, per method and per work item,
 * exercised / not supported / failed / not exercised. A method whose capability is false must
 * throw NotSupportedError and is reported as not supported, never passed silently. What differs
 * between drivers is decided in DRIVER_EXPECTATIONS, keyed by driver name.
 *
 * The suite brings what a driver needs from the rest of the system: a FakeVirtAPI (the
 * manager's back-channel, recording release 1's raw calls and answering with plausible rows),
 * realistic Instance objects with a VIF, and file-backed volumes in a temp directory.
 *
 * ```ts
 * // libs/virt-fake/test/conformance.test.ts
 * const network = new FakeHypervisorNetwork();
 * const suite = describeComputeDriver({
 *   name: 'fake',
 *   createDriver: ({ host, virtapi }) => new FakeDriver({ host, virtapi, network }),
 *   inspector: fakeInspector,
 * });
 * ```
 */
export { describeComputeDriver, CONFORMANCE_CASES, DRIVERS_ENV } from './describe-compute-driver.js';
export type { ConformanceSuite, DescribeComputeDriverOptions } from './describe-compute-driver.js';
export type { ConformanceCase } from './cases/case.js';
export { DRIVER_EXPECTATIONS } from './expectations.js';
export type { DriverExpectations } from './expectations.js';
export type { ConformanceHost, DriverInspector } from './harness.js';
export { FakeVirtAPI, DEFAULT_SECURITY_GROUP } from './fake-virtapi.js';
export type { ObjectActionCall, VirtApiCall, VirtApiMethod } from './fake-virtapi.js';
export { blockDeviceInfo, createTestImage, createTestInstance, createTestVolume, driverVolume, readVolumeHead, testBdm, testNetworkInfo } from './test-data.js';
export type { TestInstance, TestInstanceOptions, TestVolume } from './test-data.js';
export { CONTRACT_METHODS, PLACEHOLDER_CALLS } from './methods.js';
export { buildReport, coverageOf } from './recorder.js';
export type { CallOutcome, CaseResult, CaseStatus, ConformanceReport, Coverage, CoverageStatus } from './recorder.js';
export { REPORT_DIR_ENV, formatSummary, reportDirectory, writeReport } from './report.js';
