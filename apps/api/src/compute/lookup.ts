// Finding the caller's server. Every read and write is scoped to the token's project: a
// server of another project is answered exactly like one that does not exist.
import { Instance, InstanceInvalidState, InstanceNotFound, RequestContext, type InstanceOptionalAttr } from '@novakit/objects';
import { UUID_RE } from '../schemas/common.js';
import { failedCheck, STATE_CHECKS, type StateCheckName } from './states.js';

/** The joined attributes the server detail view shows (views/server.ts). */
export const SERVER_DETAIL_ATTRS: readonly InstanceOptionalAttr[] = ['info_cache', 'security_groups', 'metadata', 'flavor'];

/** A live server of the caller's project, with the joined attributes `attrs`. */
export async function findServer(ctx: RequestContext, id: string, attrs: readonly InstanceOptionalAttr[]): Promise<Instance> {
  if (!UUID_RE.test(id)) throw new InstanceNotFound({ instance_id: id });
  const instance = await Instance.getByUuid(ctx, id.toLowerCase(), { expectedAttrs: attrs });
  if (instance.project_id !== ctx.project_id) throw new InstanceNotFound({ instance_id: id });
  return instance;
}

/**
 * The server an operation acts on, checked against the states the operation accepts. A
 * deleted server of the project is found too: acting on it is a conflict (409), as acting on
 * one in the wrong state, while an id nobody has is 404.
 */
export async function serverForAction(
  ctx: RequestContext,
  id: string,
  check: StateCheckName,
  method: string,
  opts: { deletedIsNotFound?: boolean; attrs?: readonly InstanceOptionalAttr[] } = {},
): Promise<Instance> {
  const instance = await findServer(RequestContext.withReadDeleted(ctx, 'yes'), id, opts.attrs ?? []);
  if (instance.deleted && opts.deletedIsNotFound) throw new InstanceNotFound({ instance_id: id });
  instance.obj_set_context(ctx);
  const failed = failedCheck(instance, STATE_CHECKS[check]);
  if (failed) throw new InstanceInvalidState({ instance_uuid: instance.uuid, attr: failed.attr, state: failed.state, method });
  return instance;
}
