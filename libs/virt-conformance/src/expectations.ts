import type { CapabilityName } from '@novakit/virt-driver';

/**
 * What the suite expects of one driver where drivers legitimately differ. Every driver has an
 * entry in DRIVER_EXPECTATIONS, so adding a driver forces a decision on each point.
 */
export interface DriverExpectations {
  /**
   * Capabilities the driver lacks. Their methods (CAPABILITY_METHODS) must throw
   * NotSupportedError and are reported "not supported"; the list must equal the driver's false
   * capabilities, so a capability lost or gained by accident fails the suite.
   */
  readonly unsupported: readonly CapabilityName[];
  /** Per test case, ms: real drivers boot guests and move memory. */
  readonly timeoutMs: number;
  /** How long to wait for lifecycle events a driver delivers asynchronously, ms. */
  readonly eventTimeoutMs: number;
  /** Run the live-migration cases (two hosts from the factory), or the reason not to. */
  readonly liveMigration: true | { readonly skip: string };
  /** Whether two hosts made by the factory share instance storage (decides block migration and probe answers). */
  readonly hostsShareStorage: boolean;
  /**
   * `exact`: resource usage moves by exactly the instance's vCPUs, memory and disk (the fake's
   * bookkeeping). `reported`: usage is measured on a real host; only vCPUs and bounds are checked.
   */
  readonly resourceAccounting: 'exact' | 'reported';
  /** Device-name prefix for volume mountpoints when the driver does not name devices itself. */
  readonly devicePrefix: string;
}

const FAKE: DriverExpectations = {
  unsupported: ['supportsNetworkConstraints'],
  timeoutMs: 10_000,
  eventTimeoutMs: 1_000,
  liveMigration: true,
  hostsShareStorage: false,
  resourceAccounting: 'exact',
  devicePrefix: '/dev/vd',
};

export const DRIVER_EXPECTATIONS: Readonly<Record<string, DriverExpectations>> = {
  fake: FAKE,
  // The fake as a hypervisor that cannot copy disks (option disabledCapabilities). Its hosts do
  // not share storage, so of the live-migration cases only the block-migration refusal runs.
  'fake-without-block-migration': { ...FAKE, unsupported: [...FAKE.unsupported, 'supportsBlockMigration'] },
  // A first decision for the QEMU driver, to be confirmed by its own conformance run. It copies
  // disks (supportsBlockMigration): block migration between its hosts passes the checks.
  qemu: {
    unsupported: ['supportsNetworkConstraints', 'supportsInjectFile', 'supportsInjectNetworkInfo', 'supportsResetNetwork'],
    timeoutMs: 120_000,
    eventTimeoutMs: 30_000,
    liveMigration: true,
    hostsShareStorage: false,
    resourceAccounting: 'reported',
    devicePrefix: '/dev/sd',
  },
};
