// The conductor client (Nova's conductor rpcapi.ConductorAPI). It is the indirection API of
// the objects: `RequestContext.withIndirection(ctx, client)` on a compute makes every remotable
// method run on a conductor. It also carries the legacy raw methods and, in `computeTask`, the
// orchestration client.
import { objectRegistry, RequestContext } from '@novakit/objects';
import { NoSuchMethod, UnsupportedVersion, type Transport } from '@novakit/rpc';
import type { ObjectActionReply, ObjectContext, VersionedObject } from '@novakit/versioned-objects';
import { ComputeTaskClient } from './compute-task-client.js';
import type { ConductorLegacyApi, ConductorObjectApi } from './contract.js';
import type {
  LegacyBlockDeviceMapping,
  LegacyEventFinishValues,
  LegacyEventStartValues,
  LegacyFaultValues,
  LegacyInstance,
  LegacyProviderFwRule,
  LegacyRow,
  LegacySecurityGroup,
  LegacySecurityGroupRule,
  LegacyService,
} from './legacy-types.js';
import { ApiClient, type ApiClientOptions } from './rpc-client.js';
import { capsForServiceVersion, CONDUCTOR_API, CONDUCTOR_BINARY, CONDUCTOR_METHOD_VERSIONS, CONDUCTOR_TOPIC, type ConductorMethod } from './versions.js';

export interface ConductorClientOptions extends Pick<ApiClientOptions, 'timeoutMs' | 'serializer' | 'logger'> {
  /** Default `conductor`. */
  topic?: string;
  /** `[upgrade_levels] conductor`: a version, `release-1`, `auto`, or nothing. */
  versionCap?: string | null;
  /** `[upgrade_levels] compute_task`. Default: follows `versionCap` when that is `auto`, else none. */
  computeTaskVersionCap?: string | null;
  /**
   * For `auto`: the minimum service version of the live conductors. Default: asked of the
   * conductors themselves (Service.getMinimumVersion), through an uncapped client.
   */
  minimumServiceVersion?: () => Promise<number | null>;
  /**
   * Nova's `long_rpc_timeout`: the timeout of `computeTask` calls, which wait on the conductor's
   * own calls to computes (a live migration's pre-checks, up to two per candidate host) and must
   * outlast them, or a refusal the conductor is about to send arrives as a timeout.
   * Default: `timeoutMs`.
   */
  longTimeoutMs?: number;
}

export class ConductorClient implements ConductorObjectApi, ConductorLegacyApi {
  readonly computeTask: ComputeTaskClient;
  private readonly client: ApiClient;

  constructor(transport: Transport, options: ConductorClientOptions = {}) {
    const topic = options.topic ?? CONDUCTOR_TOPIC;
    const common = { topic, timeoutMs: options.timeoutMs, serializer: options.serializer, logger: options.logger };
    const minimumVersion = options.minimumServiceVersion ?? (() => this.askMinimumVersion(transport, common));
    this.client = new ApiClient(transport, CONDUCTOR_API, {
      ...common,
      cap: options.versionCap ?? null,
      auto: async () => capsForServiceVersion(await minimumVersion())?.conductor,
    });
    this.computeTask = new ComputeTaskClient(transport, {
      ...common,
      timeoutMs: options.longTimeoutMs ?? options.timeoutMs,
      cap: options.computeTaskVersionCap ?? (options.versionCap === 'auto' ? 'auto' : null),
      auto: async () => capsForServiceVersion(await minimumVersion())?.computeTask,
    });
  }

  /** The conductor cap in force (`auto` resolved on first use). */
  versionCap(): Promise<string | undefined> {
    return this.client.versionCap();
  }

  /** Forget `auto` caps (conductors were upgraded). */
  resetVersionCap(): void {
    this.client.resetVersionCap();
    this.computeTask.resetVersionCap();
  }

  canSendVersion(version: string): Promise<boolean> {
    return this.client.canSendVersion(version);
  }

  private send<T>(ctx: ObjectContext, method: ConductorMethod, args: Record<string, unknown>): Promise<T> {
    return this.client.call<T>(ctx, method, CONDUCTOR_METHOD_VERSIONS[method], args);
  }

  // --- object methods (the indirection API) --------------------------------------------------

  object_class_action_versions(
    ctx: ObjectContext,
    objname: string,
    objmethod: string,
    objectVersions: Readonly<Record<string, string>>,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
  ): Promise<unknown> {
    return this.send(ctx, 'object_class_action_versions', { objname, objmethod, object_versions: objectVersions, args, kwargs });
  }

  object_action(ctx: ObjectContext, objinst: VersionedObject, objmethod: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<ObjectActionReply> {
    return this.send(ctx, 'object_action', { objinst, objmethod, args, kwargs });
  }

  object_backport_versions(ctx: ObjectContext, objinst: Record<string, unknown>, objectVersions: Readonly<Record<string, string>>): Promise<unknown> {
    return this.send(ctx, 'object_backport_versions', { objinst, object_versions: objectVersions });
  }

  // --- legacy raw methods (documented and tagged in contract.ts) ------------------------------------

  instance_get_by_uuid(ctx: RequestContext, instanceUuid: string, columnsToJoin?: readonly string[]): Promise<LegacyInstance> {
    return this.send(ctx, 'instance_get_by_uuid', { instance_uuid: instanceUuid, ...(columnsToJoin ? { columns_to_join: columnsToJoin } : {}) });
  }

  instance_get_all_by_host(ctx: RequestContext, host: string, node?: string | null): Promise<LegacyInstance[]> {
    return this.send(ctx, 'instance_get_all_by_host', { host, node: node ?? null });
  }

  instance_update(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>, service?: string | null): Promise<LegacyInstance> {
    return this.send(ctx, 'instance_update', { instance_uuid: instanceUuid, updates, service: service ?? null });
  }

  instance_update_and_get_original(ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>): Promise<[LegacyInstance, LegacyInstance]> {
    return this.send(ctx, 'instance_update_and_get_original', { instance_uuid: instanceUuid, updates });
  }

  block_device_mapping_get_all_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacyBlockDeviceMapping[]> {
    return this.send(ctx, 'block_device_mapping_get_all_by_instance', { instance_uuid: instanceUuid });
  }

  block_device_mapping_update_or_create(ctx: RequestContext, values: Readonly<Record<string, unknown>>, create?: boolean | null): Promise<LegacyBlockDeviceMapping> {
    return this.send(ctx, 'block_device_mapping_update_or_create', { values, create: create ?? null });
  }

  security_group_get_by_instance(ctx: RequestContext, instanceUuid: string): Promise<LegacySecurityGroup[]> {
    return this.send(ctx, 'security_group_get_by_instance', { instance_uuid: instanceUuid });
  }

  security_group_rule_get_by_security_group(ctx: RequestContext, securityGroupId: number): Promise<LegacySecurityGroupRule[]> {
    return this.send(ctx, 'security_group_rule_get_by_security_group', { security_group_id: securityGroupId });
  }

  provider_fw_rule_get_all(ctx: RequestContext): Promise<LegacyProviderFwRule[]> {
    return this.send(ctx, 'provider_fw_rule_get_all', {});
  }

  instance_fault_create(ctx: RequestContext, values: LegacyFaultValues): Promise<LegacyRow> {
    return this.send(ctx, 'instance_fault_create', { values });
  }

  action_event_start(ctx: RequestContext, values: LegacyEventStartValues): Promise<LegacyRow> {
    return this.send(ctx, 'action_event_start', { values });
  }

  action_event_finish(ctx: RequestContext, values: LegacyEventFinishValues): Promise<LegacyRow> {
    return this.send(ctx, 'action_event_finish', { values });
  }

  agent_build_get_by_triple(ctx: RequestContext, hypervisor: string, os: string, architecture: string): Promise<LegacyRow | null> {
    return this.send(ctx, 'agent_build_get_by_triple', { hypervisor, os, architecture });
  }

  service_get_by_compute_host(ctx: RequestContext, host: string): Promise<LegacyService> {
    return this.send(ctx, 'service_get_by_compute_host', { host });
  }

  service_update(ctx: RequestContext, serviceId: number, values: Readonly<Record<string, unknown>>): Promise<LegacyService> {
    return this.send(ctx, 'service_update', { service_id: serviceId, values });
  }

  compute_node_create(ctx: RequestContext, values: Readonly<Record<string, unknown>>): Promise<LegacyRow> {
    return this.send(ctx, 'compute_node_create', { values });
  }

  compute_node_update(ctx: RequestContext, nodeId: number, values: Readonly<Record<string, unknown>>): Promise<LegacyRow> {
    return this.send(ctx, 'compute_node_update', { node_id: nodeId, values });
  }

  async compute_node_delete(ctx: RequestContext, nodeId: number): Promise<void> {
    await this.send(ctx, 'compute_node_delete', { node_id: nodeId });
  }

  migration_get_in_progress_by_host_and_node(ctx: RequestContext, host: string, node: string): Promise<LegacyRow[]> {
    return this.send(ctx, 'migration_get_in_progress_by_host_and_node', { host, node });
  }

  /**
   * The default `auto` source: the conductors' own Service records, through an uncapped
   * client (a capped one would wait on the cap it is resolving). A conductor too old for
   * object methods means the oldest version there is.
   */
  private async askMinimumVersion(transport: Transport, common: Omit<ApiClientOptions, 'cap' | 'auto'>): Promise<number | null> {
    const uncapped = new ApiClient(transport, CONDUCTOR_API, common);
    try {
      const v = await uncapped.call<number | null>(RequestContext.admin(), 'object_class_action_versions', '1.1', {
        objname: 'Service',
        objmethod: 'getMinimumVersion',
        object_versions: objectRegistry.treeVersions('Service'),
        args: [CONDUCTOR_BINARY],
        kwargs: {},
      });
      return typeof v === 'number' ? v : null;
    } catch (err) {
      if (err instanceof UnsupportedVersion || err instanceof NoSuchMethod) return 0;
      throw err;
    }
  }
}
