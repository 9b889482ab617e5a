// SecurityGroup(+List): a project's named set of firewall rules that instances belong to.
import { f, objectBase, objectListBase, ObjectActionError, type ObjectContext } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, makeList, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class SecurityGroup extends objectBase({
  registry: objectRegistry,
  name: 'SecurityGroup',
  version: '1.0',
  history: { '1.0': 'release 1: id, name, description, user_id, project_id; create, save, refresh, inUse, destroy, addToInstance, removeFromInstance' },
  fields: {
    id: f.integer(),
    name: f.string().nullable(),
    description: f.string().nullable(),
    user_id: f.string().nullable(),
    project_id: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'refresh', 'inUse', 'destroy', 'addToInstance', 'removeFromInstance'];
  static remotableClass = ['getById', 'getByName'];

  static async getById(ctx: RequestContext, id: number): Promise<SecurityGroup> {
    const { db, dctx } = localDb(ctx, 'SecurityGroup.getById');
    return fromRow(SecurityGroup, ctx, await db.security_group_get(dctx, id));
  }

  static async getByName(ctx: RequestContext, projectId: string, name: string): Promise<SecurityGroup> {
    const { db, dctx } = localDb(ctx, 'SecurityGroup.getByName');
    return fromRow(SecurityGroup, ctx, await db.security_group_get_by_name(dctx, projectId, name));
  }

  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.create');
    setFromRow(this, await db.security_group_create(dctx, changedColumns(this)));
    this.obj_reset_changes();
  }

  async save(): Promise<void> {
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.save');
      setFromRow(this, await db.security_group_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }

  async refresh(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.refresh');
    setFromRow(this, await db.security_group_get(dctx, this.id));
    this.obj_reset_changes();
  }

  /** Whether a live instance still belongs to the group. */
  async inUse(): Promise<boolean> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.inUse');
    return db.security_group_in_use(dctx, this.id);
  }

  /**
   * Soft-deletes the group, its instance memberships and every rule naming it (as parent or
   * grantee). Callers that must not delete a group in use check `inUse()` first (Nova's API does).
   */
  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.destroy');
    await db.security_group_destroy(dctx, this.id);
    this.deleted = true;
    this.obj_reset_changes(['deleted']);
  }

  /** Makes the instance a member (no-op when it is one). The API calls this, then asks the compute to refresh the rules. */
  async addToInstance(instanceUuid: string): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.addToInstance');
    await db.instance_add_security_group(dctx, instanceUuid, this.id);
  }

  /** Ends the instance's membership (no-op when it is none). */
  async removeFromInstance(instanceUuid: string): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'SecurityGroup.removeFromInstance');
    await db.instance_remove_security_group(dctx, instanceUuid, this.id);
  }
}

export class SecurityGroupList extends objectListBase({
  registry: objectRegistry,
  name: 'SecurityGroupList',
  version: '1.0',
  history: { '1.0': 'release 1: SecurityGroup 1.0; getAll, getByProject, getByInstance' },
  child: SecurityGroup,
  childVersions: { '1.0': '1.0' },
}) {
  static remotableClass = ['getAll', 'getByProject', 'getByInstance'];

  static async getAll(ctx: RequestContext): Promise<SecurityGroupList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupList.getAll');
    return groupList(ctx, await db.security_group_get_all(dctx));
  }

  static async getByProject(ctx: RequestContext, projectId: string): Promise<SecurityGroupList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupList.getByProject');
    return groupList(ctx, await db.security_group_get_by_project(dctx, projectId));
  }

  static async getByInstance(ctx: RequestContext, instanceUuid: string): Promise<SecurityGroupList> {
    const { db, dctx } = localDb(ctx, 'SecurityGroupList.getByInstance');
    return groupList(ctx, await db.security_group_get_by_instance(dctx, instanceUuid));
  }
}

/** A clean SecurityGroupList from rows (also used by Instance for its joined groups). */
export function groupList(ctx: ObjectContext | null, rows: readonly object[]): SecurityGroupList {
  return makeList(SecurityGroupList, ctx, rows.map((r) => fromRow(SecurityGroup, ctx, r)));
}
