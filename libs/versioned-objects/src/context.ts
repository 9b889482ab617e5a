import type { VersionedObject } from './base.js';

/** `[updates, result]` of object_action: changed fields as primitives plus `obj_what_changed`. */
export type ObjectActionReply = [Record<string, unknown>, unknown];

/**
 * The conductor side of remotable methods (oslo's VersionedObjectIndirectionAPI, in its
 * manifest-based form). A compute sets one on its contexts; a conductor's contexts carry none,
 * so the same object code runs locally there.
 */
export interface IndirectionApi {
  object_action(
    context: ObjectContext,
    objinst: VersionedObject,
    objmethod: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
  ): Promise<ObjectActionReply>;
  object_class_action_versions(
    context: ObjectContext,
    objname: string,
    objmethod: string,
    objectVersions: Readonly<Record<string, string>>,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
  ): Promise<unknown>;
  object_backport_versions(
    context: ObjectContext,
    objinst: Record<string, unknown>,
    objectVersions: Readonly<Record<string, string>>,
  ): Promise<unknown>;
}

/**
 * What objects need of a request context. With `indirection` set, remotable methods run on the
 * conductor; without it they run here. Domains extend this with their own request data.
 */
export interface ObjectContext {
  readonly indirection?: IndirectionApi | undefined;
}
