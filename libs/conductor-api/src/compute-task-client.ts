// The `compute_task` client (Nova's ComputeTaskAPI): orchestration on the conductor topic, in
// its own namespace with its own version history and cap.
import type { Instance, RequestContext } from '@novakit/objects';
import type { Transport } from '@novakit/rpc';
import type { BuildInstancesRequest, ComputeTaskApi, LiveMigrateRequest } from './contract.js';
import { ApiClient, type ApiClientOptions } from './rpc-client.js';
import { COMPUTE_TASK_API, COMPUTE_TASK_METHOD_VERSIONS, COMPUTE_TASK_NAMESPACE } from './versions.js';

export class ComputeTaskClient implements ComputeTaskApi {
  private readonly client: ApiClient;

  constructor(transport: Transport, options: Omit<ApiClientOptions, 'namespace'>) {
    this.client = new ApiClient(transport, COMPUTE_TASK_API, { ...options, namespace: COMPUTE_TASK_NAMESPACE });
  }

  versionCap(): Promise<string | undefined> {
    return this.client.versionCap();
  }

  resetVersionCap(): void {
    this.client.resetVersionCap();
  }

  canSendVersion(version: string): Promise<boolean> {
    return this.client.canSendVersion(version);
  }

  build_instances(ctx: RequestContext, request: BuildInstancesRequest): Promise<Instance[]> {
    return this.client.call(ctx, 'build_instances', COMPUTE_TASK_METHOD_VERSIONS.build_instances, {
      instances: request.instances,
      image: request.image,
      filter_properties: request.filter_properties ?? {},
      admin_password: request.admin_password ?? null,
      injected_files: request.injected_files ?? [],
      requested_networks: request.requested_networks ?? null,
      security_groups: request.security_groups ?? [],
      block_device_mapping: request.block_device_mapping ?? [],
    });
  }

  live_migrate_instance(ctx: RequestContext, request: LiveMigrateRequest): Promise<string> {
    return this.client.call(ctx, 'live_migrate_instance', COMPUTE_TASK_METHOD_VERSIONS.live_migrate_instance, {
      instance: request.instance,
      scheduler_hint: { host: request.host },
      block_migration: request.block_migration,
      disk_over_commit: request.disk_over_commit,
    });
  }
}
