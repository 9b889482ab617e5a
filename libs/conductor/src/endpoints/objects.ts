// The object methods (CONDUCTOR_API 1.1, 1.2) on the framework's ObjectDispatcher, which only
// runs registered objects' declared remotable methods. The arguments were hydrated by the
// server's serializer (whose contexts carry the DB API, so methods run here) and validated
// against OBJECT_METHOD_ARGS. What goes back is levelled to what the caller can read.
import { OBJECT_METHOD_ARGS, type ObjectMethodArgs } from '@novakit/conductor-api';
import type { RequestContext } from '@novakit/objects';
import { withArgs, type EndpointMethod } from '@novakit/rpc';
import { ObjectDispatcher, VersionedObject, type ObjectActionReply, type ObjectRegistry } from '@novakit/versioned-objects';

export function objectMethods(registry: ObjectRegistry): Record<keyof ObjectMethodArgs, EndpointMethod<RequestContext>> {
  const dispatcher = new ObjectDispatcher(registry);
  return {
    object_class_action_versions: withArgs(OBJECT_METHOD_ARGS.object_class_action_versions, (ctx: RequestContext, a) =>
      dispatcher.objectClassActionVersions(ctx, a.objname, a.objmethod, a.object_versions, a.args, a.kwargs),
    ),
    object_action: withArgs(OBJECT_METHOD_ARGS.object_action, async (ctx: RequestContext, a) => {
      const reply = await dispatcher.objectAction(ctx, a.objinst, a.objmethod, a.args, a.kwargs);
      return levelReply(a.objinst, reply);
    }),
    object_backport_versions: withArgs(OBJECT_METHOD_ARGS.object_backport_versions, (ctx: RequestContext, a) =>
      dispatcher.objectBackportVersions(ctx, a.objinst, a.object_versions),
    ),
  };
}

/**
 * object_action for a caller whose object is older than ours: the method ran on our class
 * (the object was read into the newest compatible one), so fields the caller's version does
 * not have are dropped from `updates` and child objects are levelled, as a backport of the
 * whole object to the caller's version would do. A result of the object's own class is
 * levelled the same way.
 */
function levelReply(objinst: VersionedObject, [updates, result]: ObjectActionReply): ObjectActionReply {
  const target = objinst.obj_version;
  const meta = objinst._meta;
  if (target === meta.version) return [updates, result];
  const data = objinst.obj_to_primitive({ targetVersion: target })[meta.registry.keys.data] as Record<string, unknown>;
  const levelled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(updates)) {
    if (key === 'obj_what_changed') continue;
    const fm = meta.byName.get(key);
    if (!fm || !(key in data)) continue;
    levelled[key] = fm.isObject || fm.isObjectList ? data[key] ?? null : value;
  }
  levelled.obj_what_changed = (updates.obj_what_changed as string[]).filter((name) => name in data);
  const sameClass = result instanceof VersionedObject && result.obj_name() === objinst.obj_name();
  return [levelled, sameClass ? result.obj_to_primitive({ targetVersion: target }) : result];
}
