import { Instance, InstanceNotFound, RequestContext } from '@novakit/objects';
import {
  legacyInstanceDict,
  type LegacyBlockDeviceMapping,
  type LegacyInstanceDict,
  type LegacyProviderFwRule,
  type LegacyRow,
  type LegacySecurityGroup,
  type LegacySecurityGroupRule,
  type VirtAPI,
} from '@novakit/virt-driver';
import type { IndirectionApi, ObjectActionReply, ObjectContext, VersionedObject } from '@novakit/versioned-objects';

export type VirtApiMethod = 'instance_update' | 'block_device_mapping_get_all_by_instance' | 'security_group_get_by_instance' | 'security_group_rule_get_by_security_group' | 'provider_fw_rule_get_all' | 'waitForInstanceEvent';

/** One call a driver made back into the manager; `host` is the view it came through. */
export interface VirtApiCall {
  readonly host: string | null;
  readonly method: VirtApiMethod;
  readonly args: readonly unknown[];
}

/** A remotable object method a driver ran (e.g. `BlockDeviceMapping.save`), with the fields it changed. */
export interface ObjectActionCall {
  readonly objname: string;
  readonly method: string;
  readonly changes: Readonly<Record<string, unknown>>;
}

export const DEFAULT_SECURITY_GROUP: LegacySecurityGroup = Object.freeze({ id: 1, name: 'default', project_id: 'conformance-project' });

const DEFAULT_RULES: readonly LegacySecurityGroupRule[] = [
  { id: 1, parent_group_id: 1, protocol: 'tcp', from_port: 22, to_port: 22, cidr: '0.0.0.0/0', group_id: null },
  { id: 2, parent_group_id: 1, protocol: 'icmp', from_port: -1, to_port: -1, cidr: '0.0.0.0/0', group_id: null },
];

const DEFAULT_PROVIDER_RULES: readonly LegacyProviderFwRule[] = [{ protocol: 'tcp', from_port: 25, to_port: 25, cidr: '0.0.0.0/0' }];

class Store {
  readonly calls: VirtApiCall[] = [];
  readonly objectActions: ObjectActionCall[] = [];
  readonly instances = new Map<string, Record<string, unknown>>();
  readonly bdms = new Map<string, LegacyBlockDeviceMapping[]>();
  readonly groups = new Map<number, LegacySecurityGroup>([[DEFAULT_SECURITY_GROUP.id, DEFAULT_SECURITY_GROUP]]);
  readonly members = new Map<string, number[]>();
  readonly rules = new Map<number, LegacySecurityGroupRule[]>([[1, DEFAULT_RULES.map((r) => ({ ...r }))]]);
  providerRules: LegacyProviderFwRule[] = DEFAULT_PROVIDER_RULES.map((r) => ({ ...r }));
}

/**
 * An in-memory VirtAPI: the manager's back-channel as the conductor's database would answer
 * it, recording every call. Release 1's raw calls return plausible rows (the default security
 * group with an ssh and an icmp rule, one provider rule, the instances and BDMs the test
 * registered). `forHost` gives each fake host its own view over one store, so a test sees
 * which host called what. `context()` makes a RequestContext whose remotable object methods
 * (a BDM's save) are recorded here instead of reaching a conductor.
 */
export class FakeVirtAPI implements VirtAPI {
  private constructor(
    private readonly store: Store,
    readonly host: string | null,
  ) {}

  static create(): FakeVirtAPI {
    return new FakeVirtAPI(new Store(), null);
  }

  forHost(host: string): FakeVirtAPI {
    return new FakeVirtAPI(this.store, host);
  }

  get calls(): readonly VirtApiCall[] {
    return this.store.calls;
  }

  get objectActions(): readonly ObjectActionCall[] {
    return this.store.objectActions;
  }

  callsTo(method: VirtApiMethod, where?: (call: VirtApiCall) => boolean): VirtApiCall[] {
    return this.store.calls.filter((c) => c.method === method && (!where || where(c)));
  }

  /** A context for driver calls: object saves are recorded in `objectActions`. */
  context(init: { user_id?: string; project_id?: string } = {}): RequestContext {
    return RequestContext.create({
      request_id: `req-conformance-${this.store.calls.length}`,
      user_id: init.user_id ?? 'conformance-user',
      project_id: init.project_id ?? DEFAULT_SECURITY_GROUP.project_id,
      roles: ['member'],
      indirection: new RecordingIndirection(this.store),
    });
  }

  /** Register an instance row (and its group membership, default: the default group). */
  addInstance(instance: Instance | LegacyInstanceDict, groupIds?: readonly number[]): void {
    const row: Record<string, unknown> = { ...(instance instanceof Instance ? legacyInstanceDict(instance) : instance) };
    this.store.instances.set(row.uuid as string, row);
    const groups = groupIds ?? ((row.security_groups as { id: number }[] | undefined)?.map((g) => g.id) ?? [DEFAULT_SECURITY_GROUP.id]);
    this.store.members.set(row.uuid as string, [...groups]);
  }

  instanceRow(uuid: string): LegacyRow | undefined {
    return this.store.instances.get(uuid);
  }

  addBlockDeviceMapping(row: LegacyBlockDeviceMapping): void {
    const list = this.store.bdms.get(row.instance_uuid) ?? [];
    list.push(row);
    this.store.bdms.set(row.instance_uuid, list);
  }

  addSecurityGroup(group: LegacySecurityGroup, rules: readonly LegacySecurityGroupRule[] = []): void {
    this.store.groups.set(group.id, group);
    this.store.rules.set(group.id, [...rules]);
  }

  addSecurityGroupRule(rule: LegacySecurityGroupRule): void {
    const list = this.store.rules.get(rule.parent_group_id) ?? [];
    list.push(rule);
    this.store.rules.set(rule.parent_group_id, list);
  }

  setProviderRules(rules: readonly LegacyProviderFwRule[]): void {
    this.store.providerRules = [...rules];
  }

  private record(method: VirtApiMethod, args: readonly unknown[]): void {
    this.store.calls.push({ host: this.host, method, args });
  }

  /** @legacy */
  async instance_update(_ctx: RequestContext, instanceUuid: string, updates: Readonly<Record<string, unknown>>): Promise<[LegacyRow, LegacyRow]> {
    this.record('instance_update', [instanceUuid, { ...updates }]);
    const before = this.store.instances.get(instanceUuid);
    if (!before) throw new InstanceNotFound({ instance_id: instanceUuid });
    const after = { ...before, ...updates, updated_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
    this.store.instances.set(instanceUuid, after);
    return [before, after];
  }

  /** @legacy */
  async block_device_mapping_get_all_by_instance(_ctx: RequestContext, instanceUuid: string): Promise<LegacyBlockDeviceMapping[]> {
    this.record('block_device_mapping_get_all_by_instance', [instanceUuid]);
    return (this.store.bdms.get(instanceUuid) ?? []).map((b) => ({ ...b }));
  }

  /** @legacy */
  async security_group_get_by_instance(_ctx: RequestContext, instanceUuid: string): Promise<LegacySecurityGroup[]> {
    this.record('security_group_get_by_instance', [instanceUuid]);
    const ids = this.store.members.get(instanceUuid) ?? [DEFAULT_SECURITY_GROUP.id];
    return ids.map((id) => this.store.groups.get(id)).filter((g): g is LegacySecurityGroup => !!g).map((g) => ({ ...g }));
  }

  /** @legacy */
  async security_group_rule_get_by_security_group(_ctx: RequestContext, securityGroupId: number): Promise<LegacySecurityGroupRule[]> {
    this.record('security_group_rule_get_by_security_group', [securityGroupId]);
    return (this.store.rules.get(securityGroupId) ?? []).map((r) => ({ ...r }));
  }

  /** @legacy */
  async provider_fw_rule_get_all(_ctx: RequestContext): Promise<LegacyProviderFwRule[]> {
    this.record('provider_fw_rule_get_all', []);
    return this.store.providerRules.map((r) => ({ ...r }));
  }

  /** Every awaited event is taken as arrived once the body finished (no network service here). */
  async waitForInstanceEvent<T>(instance: Instance, eventNames: readonly string[], deadlineSeconds: number, body: () => Promise<T>): Promise<T> {
    this.record('waitForInstanceEvent', [instance.uuid, [...eventNames], deadlineSeconds]);
    return body();
  }
}

/** The conductor's object_action, reduced to a log: the object keeps its values, changes are reset. */
class RecordingIndirection implements IndirectionApi {
  constructor(private readonly store: Store) {}

  async object_action(_ctx: ObjectContext, objinst: VersionedObject, objmethod: string): Promise<ObjectActionReply> {
    this.store.objectActions.push({ objname: objinst.obj_name(), method: objmethod, changes: objinst.obj_get_changes() });
    return [{}, null];
  }

  async object_class_action_versions(_ctx: ObjectContext, objname: string, objmethod: string): Promise<unknown> {
    this.store.objectActions.push({ objname, method: objmethod, changes: {} });
    return null;
  }

  async object_backport_versions(_ctx: ObjectContext, objinst: Record<string, unknown>): Promise<unknown> {
    return objinst;
  }
}
