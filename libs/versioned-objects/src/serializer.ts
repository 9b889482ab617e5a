import { VersionedObject } from './base.js';
import type { ObjectContext } from './context.js';
import { IncompatibleObjectVersion, MalformedPrimitiveError } from './errors.js';
import { isPlainRecord } from './fields/field-type.js';
import { ObjectRegistry } from './registry.js';

/** How a domain turns its request context into the flat dict that travels as `_context_*`, and back. */
export interface ContextCodec<Ctx extends ObjectContext> {
  serialize(context: Ctx): Record<string, unknown>;
  deserialize(data: Record<string, unknown>): Ctx;
}

const MAX_DEPTH = 64;

/**
 * The RPC serializer (oslo's VersionedObjectSerializer): objects become primitives at their own
 * version; primitives become objects. An object newer than this process knows is sent back to
 * the conductor with this process's manifest to be backported (the rolling-upgrade path).
 */
export class ObjectSerializer<Ctx extends ObjectContext> {
  constructor(
    readonly registry: ObjectRegistry,
    private readonly codec: ContextCodec<Ctx>,
  ) {}

  serializeContext(context: Ctx): Record<string, unknown> {
    return this.codec.serialize(context);
  }

  deserializeContext(data: Record<string, unknown>): Ctx {
    return this.codec.deserialize(data);
  }

  serializeEntity(context: Ctx, value: unknown): unknown {
    return this.serialize(value, 0);
  }

  private serialize(value: unknown, depth: number): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (value instanceof VersionedObject) return value.obj_to_primitive();
    if (depth > MAX_DEPTH) throw new MalformedPrimitiveError({ path: '$', reason: 'value nested too deeply to serialize' });
    if (Array.isArray(value)) return value.map((v) => this.serialize(v, depth + 1));
    if (value instanceof Set) return [...value].map((v) => this.serialize(v, depth + 1));
    if (value instanceof Date) return value.toISOString();
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = this.serialize((value as Record<string, unknown>)[k], depth + 1);
    return out;
  }

  async deserializeEntity(context: Ctx, value: unknown): Promise<unknown> {
    return this.deserialize(context, value, 0);
  }

  private async deserialize(context: Ctx, value: unknown, depth: number): Promise<unknown> {
    if (value === null || typeof value !== 'object') return value;
    if (depth > MAX_DEPTH) throw new MalformedPrimitiveError({ path: '$', reason: 'value nested too deeply' });
    if (Array.isArray(value)) {
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) out[i] = await this.deserialize(context, value[i], depth + 1);
      return out;
    }
    if (!isPlainRecord(value)) return value;
    if (Object.prototype.hasOwnProperty.call(value, this.registry.keys.name)) return this.hydrate(context, value);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      if (k === '__proto__') continue;
      out[k] = await this.deserialize(context, value[k], depth + 1);
    }
    return out;
  }

  private async hydrate(context: Ctx, primitive: Record<string, unknown>): Promise<VersionedObject> {
    try {
      return this.registry.fromPrimitive(primitive, context);
    } catch (e) {
      if (!(e instanceof IncompatibleObjectVersion)) throw e;
      const keys = this.registry.keys;
      const retry = ObjectRegistry.retryVersion(String(primitive[keys.version]));
      if (retry) {
        try {
          return this.registry.fromPrimitive({ ...primitive, [keys.version]: retry }, context);
        } catch (again) {
          if (!(again instanceof IncompatibleObjectVersion)) throw again;
        }
      }
      const name = primitive[keys.name] as string;
      if (!context.indirection || !this.registry.has(name)) throw e;
      const backported = await context.indirection.object_backport_versions(context, primitive, this.registry.treeVersions(name));
      if (backported instanceof VersionedObject && backported._meta.registry === this.registry) return backported;
      if (backported instanceof VersionedObject) return this.registry.fromPrimitive(backported.obj_to_primitive(), context);
      return this.registry.fromPrimitive(backported, context);
    }
  }
}
