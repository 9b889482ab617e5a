import { defineRpcApi } from '@novakit/rpc';

/** Computes listen on topic `compute`, one server per host: messages route as `compute.<host>`. */
export const COMPUTE_TOPIC = 'compute';

/**
 * The compute RPC API's version history (Nova's ComputeAPI docstring, as data). Every change
 * adds a minor version with what it changed; clients choose per method with canSendVersion
 * and degrade their arguments for older computes; servers accept every older minor.
 */
export const COMPUTE_RPC_API = defineRpcApi({
  name: 'compute',
  history: {
    '1.0':
      'release 1: build_and_run_instance, terminate/reboot/stop/start, pause/unpause, suspend/resume, ' +
      'attach/detach_volume, reserve_block_device_name (returns a BlockDeviceMapping), get_diagnostics, ' +
      'get_instance_diagnostics, get_console_output, inject_network_info, reset_network, ' +
      'refresh_instance_security_rules, check_can_live_migrate_destination/source, pre_live_migration, ' +
      'live_migration, post_live_migration_at_destination, rollback_live_migration_at_destination, ' +
      'remove_volume_connection, check_instance_shared_storage — every instance argument an Instance object',
  },
  aliases: { 'release-1': '1.0' },
});

export type ComputeRpcVersion = (typeof COMPUTE_RPC_API.versions)[number];

/**
 * The service version each release's computes record in their Service row, and the newest
 * compute RPC version that service version speaks: `[upgrade_levels] compute = auto` caps
 * clients at the entry of the minimum version among live computes.
 */
export const COMPUTE_SERVICE_VERSIONS: Readonly<Record<number, ComputeRpcVersion>> = Object.freeze({ 1: '1.0' });

/** The compute RPC version a service version speaks; unknown (newer) service versions speak the newest we know. */
export function computeRpcVersionForService(serviceVersion: number | null | undefined): ComputeRpcVersion {
  const known = Object.keys(COMPUTE_SERVICE_VERSIONS).map(Number).sort((a, b) => a - b);
  if (serviceVersion === null || serviceVersion === undefined) return COMPUTE_SERVICE_VERSIONS[known[0]!]!;
  let best = known[0]!;
  for (const v of known) if (v <= serviceVersion) best = v;
  return COMPUTE_SERVICE_VERSIONS[best]!;
}
