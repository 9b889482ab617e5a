// The conductor's port to the computes (libs/conductor's ComputeRpc), served by the compute
// RPC client of libs/compute-api. The conductor lib never imports the compute API itself; the
// composition root joins them.
import type { ComputeCallArgs, ComputeRpcClient } from '@novakit/compute-api';
import type { ComputeRpc } from '@novakit/conductor';

export function computeRpcPort(client: ComputeRpcClient): ComputeRpc {
  return {
    build_and_run_instance: (ctx, host, a) =>
      client.buildAndRunInstance(ctx, host, a.instance, {
        image: a.image as ComputeCallArgs<'buildAndRunInstance'>['image'],
        filter_properties: { ...a.filter_properties },
        admin_password: a.admin_password,
        injected_files: a.injected_files.map(([path, contents]) => [path, contents] as [string, string]),
        requested_networks: a.requested_networks ? a.requested_networks.map((n) => ({ ...n })) : null,
        security_groups: [...a.security_groups],
        block_device_mapping: [...a.block_device_mapping],
        node: a.node,
        limits: { ...a.limits },
      }),
    check_can_live_migrate_destination: (ctx, destination, a) =>
      client.checkCanLiveMigrateDestination(ctx, a.instance, destination, { block_migration: a.block_migration, disk_over_commit: a.disk_over_commit }),
    // The client sends it to the instance's host, which is the source the conductor names.
    check_can_live_migrate_source: (ctx, _source, a) => client.checkCanLiveMigrateSource(ctx, a.instance, a.dest_check_data),
    live_migration: (ctx, _source, a) => client.liveMigration(ctx, a.instance, { dest: a.dest, block_migration: a.block_migration, migrate_data: { ...a.migrate_data } }),
  };
}
