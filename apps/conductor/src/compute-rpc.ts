// The conductor's port to the computes (libs/conductor's ComputeRpc), served by the compute
// RPC client of libs/compute-api. The conductor lib never imports the compute API itself; the
// service (and the embedded node) join them here.
import { COMPUTE_RPC_API, ComputeRpcClient, computeRpcVersionForService, type ComputeCallArgs } from '@novakit/compute-api';
import type { ComputeRpc } from '@novakit/conductor';
import { NovaObjectSerializer, RequestContext, Service, type ObjectsDbApi } from '@novakit/objects';
import type { Transport } from '@novakit/rpc';

/**
 * A compute RPC client for a conductor that holds the database: the `auto` cap is the RPC
 * version of the oldest live compute, read through the Service objects.
 */
export function conductorComputeClient(transport: Transport, db: ObjectsDbApi, versionCap = 'auto'): ComputeRpcClient {
  const admin = RequestContext.withDb(RequestContext.admin(), db);
  return new ComputeRpcClient(transport, {
    serializer: new NovaObjectSerializer({ db }),
    versionCap: COMPUTE_RPC_API.versionCap(versionCap, async () => computeRpcVersionForService(await Service.getMinimumVersion(admin, 'nova-compute'))),
  });
}

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
