/**
 * @novakit/versioned-objects — versioned objects in the manner of oslo.versionedobjects, on
 * TypeScript: typed fields with oslo's coercion rules, change tracking (including in-place edits
 * of dicts, lists and list elements), the oslo wire envelope, automatic and hand-written
 * backports with manifests, remotable methods through an injected indirection API, the RPC
 * serializer and schema fingerprints. Domain-free: the namespace belongs to the registry.
 *
 * ```ts
 * const registry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
 *
 * export class Tag extends objectBase({
 *   registry, name: 'Tag', version: '1.1',
 *   history: { '1.0': 'initial', '1.1': 'color' },
 *   fields: { name: f.string(), color: f.string().nullable().since('1.1') },
 * }) {
 *   static remotable = ['save'];
 *   async save(): Promise<void> { ... runs on the conductor when the context has an indirection API ... }
 * }
 * registry.register(Tag);
 *
 * const t = new Tag({ name: 'red' }, ctx);
 * t.obj_to_primitive({ targetVersion: '1.0' });   // color is backported away
 * ```
 */
export { objectBase, VersionedObject, UNSET } from './base.js';
export type { FieldDefs, FieldValues, ObjectBaseClass, Primitive, ToPrimitiveOptions, VersionedObjectOf } from './base.js';
export { objectListBase } from './list.js';
export type { ObjectListClass, ObjectListDefinition, ObjectListMembers } from './list.js';
export { ObjectRegistry } from './registry.js';
export type { EnvelopeKeys, RegisteredClass, RegistryOptions } from './registry.js';
export type { IndirectionApi, ObjectActionReply, ObjectContext } from './context.js';
export type { ObjectDefinition, ObjectMeta, Relationships } from './meta.js';
export { f } from './fields/index.js';
export { Field } from './fields/field.js';
export type { AnyField, FieldOptions, FieldValue } from './fields/field.js';
export { CoercionFailure } from './fields/field-type.js';
export type { FieldType, HydrateContext } from './fields/field-type.js';
export { datetimeToPrimitive, parseIsoDatetime } from './fields/datetime.js';
export { ObjectDispatcher } from './dispatch.js';
export { ObjectSerializer } from './serializer.js';
export type { ContextCodec } from './serializer.js';
export { applyUpdates } from './remotable.js';
export { fingerprint, fingerprintSource, registryFingerprints } from './fingerprint.js';
export { compareVersions, isCompatible, isValidVersion, minorVersionsUpTo, parseVersion, stripPatch } from './version.js';
export type { ParsedVersion } from './version.js';
export * from './errors.js';
