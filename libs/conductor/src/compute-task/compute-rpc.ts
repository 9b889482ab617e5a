// The port through which compute_task reaches the computes: the four compute RPC methods the
// conductor needs, with Nova's names and kwargs. libs/compute-api's client implements it; tests
// inject fakes. The conductor never imports the compute API itself.
import type { BlockDeviceMapping, Instance, RequestContext } from '@novakit/objects';

/** Data the computes exchange during live-migration checks (driver-specific). */
export type MigrateData = Readonly<Record<string, unknown>>;

export interface BuildAndRunInstanceArgs {
  readonly instance: Instance;
  readonly image: Readonly<Record<string, unknown>>;
  /** Hosts tried so far and the request's hints (Nova's filter_properties with `retry`). */
  readonly filter_properties: Readonly<Record<string, unknown>>;
  readonly admin_password: string | null;
  readonly injected_files: ReadonlyArray<readonly [string, string]>;
  readonly requested_networks: ReadonlyArray<Readonly<Record<string, unknown>>> | null;
  readonly security_groups: readonly string[];
  readonly block_device_mapping: readonly BlockDeviceMapping[];
  readonly node: string | null;
  /** What the compute's claim may use (allocation ratios applied). */
  readonly limits: Readonly<{ memory_mb: number; disk_gb: number; vcpu: number }>;
}

export interface ComputeRpc {
  /** Cast to `compute.<host>`: claim, build and spawn the instance. */
  build_and_run_instance(ctx: RequestContext, host: string, args: BuildAndRunInstanceArgs): Promise<void>;
  /** Call to the destination: can it take the instance? Returns its check data. */
  check_can_live_migrate_destination(
    ctx: RequestContext,
    destination: string,
    args: { readonly instance: Instance; readonly block_migration: boolean; readonly disk_over_commit: boolean },
  ): Promise<MigrateData>;
  /** Call to the source (the instance's host): can it send the instance? Returns the migrate data. */
  check_can_live_migrate_source(ctx: RequestContext, source: string, args: { readonly instance: Instance; readonly dest_check_data: MigrateData }): Promise<MigrateData>;
  /** Cast to the source: migrate to `dest`. */
  live_migration(
    ctx: RequestContext,
    source: string,
    args: { readonly instance: Instance; readonly dest: string; readonly block_migration: boolean; readonly migrate_data: MigrateData },
  ): Promise<void>;
}
