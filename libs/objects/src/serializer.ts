// The RPC serializer of novakit: versioned objects become `nova_object.*` primitives and
// back, the request context becomes oslo's flat dict and back. It fits libs/rpc's
// Serializer interface; objects arriving newer than this process knows are backported by
// the conductor (through the context's indirection API).
import { ObjectSerializer } from '@novakit/versioned-objects';
import { createRequestContextCodec, type ContextAttachments, type RequestContext } from './context.js';
import { objectRegistry } from './objects.js';

export class NovaObjectSerializer extends ObjectSerializer<RequestContext> {
  /**
   * `attach`: what every incoming context is given on this side — a conductor's `db`, a
   * compute's `indirection` — so objects arriving in a request can run their methods.
   */
  constructor(attach: ContextAttachments = {}) {
    super(objectRegistry, createRequestContextCodec(attach));
  }
}
