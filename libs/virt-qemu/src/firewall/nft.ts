/**
 * Applying rulesets with `nft -f -` (stdin). Only when the driver is configured to manage the
 * firewall; otherwise `apply` reports 'skipped' and the driver declares the capability off.
 */
import { spawnSync } from 'node:child_process';
import { runCommand } from '../host/run-command.js';
import { renderInstanceRuleset, renderRemoveTable, tableName, type InstanceFirewall } from './render.js';

/**
 * The synchronous form of `available()`, for deciding a driver's capabilities when it is built:
 * nft is installed and may read the ruleset (root or CAP_NET_ADMIN).
 */
export function nftUsable(binary = 'nft'): boolean {
  const result = spawnSync(binary, ['list', 'tables'], { timeout: 10_000, stdio: 'ignore' });
  return result.error === undefined && result.status === 0;
}

export interface NftFirewallOptions {
  /** Apply rules to the host (needs root / CAP_NET_ADMIN). Default false: render only. */
  manage?: boolean;
  binary?: string;
}

export type ApplyOutcome = 'applied' | 'skipped';

export class NftFirewall {
  readonly manage: boolean;
  readonly binary: string;
  private availability: Promise<boolean> | undefined;

  constructor(options: NftFirewallOptions = {}) {
    this.manage = options.manage ?? false;
    this.binary = options.binary ?? 'nft';
  }

  /** nft is installed and may read the ruleset (so it can also write it). Cached. */
  available(): Promise<boolean> {
    this.availability ??= runCommand(this.binary, ['list', 'tables'], undefined, 10_000).then(
      () => true,
      () => false,
    );
    return this.availability;
  }

  /** Check a ruleset without applying it (`nft -c`); throws HostCommandFailed with nft's message. */
  async check(ruleset: string): Promise<void> {
    await runCommand(this.binary, ['-c', '-f', '-'], ruleset);
  }

  /** Whether the instance's table is loaded in the kernel. */
  async hasTable(instanceName: string): Promise<boolean> {
    if (!(await this.available())) return false;
    return runCommand(this.binary, ['list', 'table', 'inet', tableName(instanceName)], undefined, 10_000).then(
      () => true,
      () => false,
    );
  }

  async apply(fw: InstanceFirewall): Promise<ApplyOutcome> {
    return this.load(renderInstanceRuleset(fw));
  }

  async remove(instanceName: string): Promise<ApplyOutcome> {
    return this.load(renderRemoveTable(instanceName));
  }

  private async load(ruleset: string): Promise<ApplyOutcome> {
    if (!this.manage || !(await this.available())) return 'skipped';
    await runCommand(this.binary, ['-f', '-'], ruleset);
    return 'applied';
  }
}
