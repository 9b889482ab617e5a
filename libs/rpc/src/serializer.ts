import { type RequestContext, requestContextFromDict, requestContextToDict } from './context.js';

/**
 * How values and the context cross the wire, plugged in by the layer above (the objects
 * serializer turns versioned objects into primitives and back). `deserializeEntity` may be
 * async: a receiver that gets an object newer than it knows asks for a backport first.
 */
export interface Serializer<Ctx> {
  serializeEntity(ctx: Ctx, value: unknown): unknown;
  deserializeEntity(ctx: Ctx, value: unknown): unknown | Promise<unknown>;
  serializeContext(ctx: Ctx): Record<string, unknown>;
  deserializeContext(dict: Record<string, unknown>): Ctx;
}

/** oslo's NoOpSerializer for entities, with the default RequestContext. */
export class JsonSerializer implements Serializer<RequestContext> {
  serializeEntity(_ctx: RequestContext, value: unknown): unknown {
    return value;
  }
  deserializeEntity(_ctx: RequestContext, value: unknown): unknown {
    return value;
  }
  serializeContext(ctx: RequestContext): Record<string, unknown> {
    return requestContextToDict(ctx);
  }
  deserializeContext(dict: Record<string, unknown>): RequestContext {
    return requestContextFromDict(dict);
  }
}

export const jsonSerializer: Serializer<RequestContext> = new JsonSerializer();
