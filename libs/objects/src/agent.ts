// Agent: the guest agent build a hypervisor offers for an OS and architecture (XenAPI-style
// agents look it up to upgrade themselves); one per (hypervisor, os, architecture).
import { f, objectBase, ObjectActionError } from '@novakit/versioned-objects';
import type { RequestContext } from './context.js';
import { localDb } from './local.js';
import { changedColumns, fromRow, persistentFields, setFromRow } from './persistent.js';
import { objectRegistry } from './registry.js';

export class Agent extends objectBase({
  registry: objectRegistry,
  name: 'Agent',
  version: '1.0',
  history: { '1.0': 'release 1: hypervisor, os, architecture, version, url, md5hash; getByTriple, create, save, destroy' },
  fields: {
    id: f.integer(),
    hypervisor: f.string(),
    os: f.string(),
    architecture: f.string(),
    version: f.string().nullable(),
    url: f.string().nullable(),
    md5hash: f.string().nullable(),
    ...persistentFields,
  },
}) {
  static remotable = ['create', 'save', 'destroy'];
  static remotableClass = ['getByTriple'];

  /** The build for this triple, or null (replaces the VirtAPI agent_build_get_by_triple). */
  static async getByTriple(ctx: RequestContext, hypervisor: string, os: string, architecture: string): Promise<Agent | null> {
    const { db, dctx } = localDb(ctx, 'Agent.getByTriple');
    const row = await db.agent_build_get_by_triple(dctx, hypervisor, os, architecture);
    return row ? fromRow(Agent, ctx, row) : null;
  }

  /** AgentBuildExists when the triple has a build already. */
  async create(): Promise<void> {
    if (this.obj_attr_is_set('id')) throw new ObjectActionError({ action: 'create', reason: 'already created' });
    const { db, dctx } = localDb(this.obj_context, 'Agent.create');
    const values = { ...changedColumns(this), hypervisor: this.hypervisor, os: this.os, architecture: this.architecture };
    setFromRow(this, await db.agent_build_create(dctx, values));
    this.obj_reset_changes();
  }

  async save(): Promise<void> {
    const values = changedColumns(this);
    if (Object.keys(values).length) {
      const { db, dctx } = localDb(this.obj_context, 'Agent.save');
      setFromRow(this, await db.agent_build_update(dctx, this.id, values));
    }
    this.obj_reset_changes();
  }

  async destroy(): Promise<void> {
    const { db, dctx } = localDb(this.obj_context, 'Agent.destroy');
    await db.agent_build_destroy(dctx, this.id);
  }
}
