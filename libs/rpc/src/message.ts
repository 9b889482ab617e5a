/**
 * The RPC request and reply dicts of oslo.messaging (o.msg 14, rabbit driver), key for key
 * and in oslo's key order, so captured Python frames and ours line up.
 */
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { InvalidMessage } from './errors.js';
import { isPlainRecord } from './safe-json.js';

const CONTEXT_PREFIX = '_context_';

/**
 * `key` ⇄ `_context_<key>`, remembered: a context has the same few dozen keys on every
 * message, and a key built by concatenation or slicing is a new string each time, which
 * V8 must hash and look up again before it can use it as a property name.
 */
const prefixed = new Map<string, string>();
const unprefixed = new Map<string, string>();
const KEY_CACHE_LIMIT = 4096;

function contextKey(key: string): string {
  let k = prefixed.get(key);
  if (k === undefined) {
    k = CONTEXT_PREFIX + key;
    if (prefixed.size < KEY_CACHE_LIMIT) prefixed.set(key, k);
  }
  return k;
}

function contextKeyOf(wireKey: string): string {
  let k = unprefixed.get(wireKey);
  if (k === undefined) {
    k = wireKey.slice(CONTEXT_PREFIX.length);
    if (unprefixed.size < KEY_CACHE_LIMIT) unprefixed.set(wireKey, k);
  }
  return k;
}

export interface OutgoingRequest {
  method: string;
  args: Record<string, unknown>;
  namespace?: string | null;
  version?: string | null;
  /** Present for calls: where and under which id the reply is expected. */
  reply?: { msgId: string; replyQueue: string; monitorTimeoutS: number | null };
  uniqueId: string;
  context: Record<string, unknown>;
}

export function encodeRequest(req: OutgoingRequest, maxBytes: number): Buffer {
  const msg: Record<string, unknown> = { method: req.method, args: req.args };
  if (req.namespace != null) msg.namespace = req.namespace;
  if (req.version != null) msg.version = req.version;
  if (req.reply) {
    msg._msg_id = req.reply.msgId;
    msg._reply_q = req.reply.replyQueue;
    msg._timeout = req.reply.monitorTimeoutS;
  }
  msg._unique_id = req.uniqueId;
  for (const key of Object.keys(req.context)) msg[contextKey(key)] = req.context[key];
  return encodeEnvelope(msg, maxBytes);
}

export interface IncomingRequest {
  /** Not validated: the dispatcher answers a bad method name as oslo does. */
  method: unknown;
  args: Record<string, unknown>;
  namespace: string | null;
  /** oslo's dispatcher reads a missing version as 1.0. */
  version: string;
  msgId: string | null;
  replyQueue: string | null;
  /** `_timeout`: the caller's call-monitor timeout in seconds, asking for heartbeats. */
  monitorTimeoutS: number | null;
  uniqueId: string | null;
  context: Record<string, unknown>;
}

/**
 * Throws InvalidMessage for what cannot be answered at all. Fields a reply can complain
 * about (args, namespace, version types) are checked here too, but only after the reply
 * address was read, so `replyAddress` on the error lets the server still answer.
 */
export function decodeRequest(body: Buffer, maxBytes: number): IncomingRequest {
  const msg = decodeEnvelope(body, maxBytes);
  const context: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) {
    // `_context___proto__` would otherwise set the prototype of `context` itself.
    if (key.startsWith(CONTEXT_PREFIX) && key !== '_context___proto__') context[contextKeyOf(key)] = msg[key];
  }
  const msgId = optionalString(msg, '_msg_id');
  const replyQueue = optionalString(msg, '_reply_q');
  const timeout = msg._timeout;
  const req: IncomingRequest = {
    method: msg.method,
    args: {},
    namespace: null,
    version: '1.0',
    msgId,
    replyQueue,
    monitorTimeoutS: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : null,
    uniqueId: optionalString(msg, '_unique_id'),
    context,
  };
  try {
    if (msg.args !== undefined && msg.args !== null) {
      if (!isPlainRecord(msg.args)) throw new InvalidMessage({ reason: 'args is not an object' });
      req.args = msg.args;
    }
    if (msg.namespace != null) req.namespace = requireString(msg, 'namespace');
    if (msg.version != null) req.version = requireString(msg, 'version');
  } catch (err) {
    (err as InvalidRequestError).request = req;
    throw err;
  }
  return req;
}

/** An InvalidMessage thrown by decodeRequest after the reply address was known. */
export type InvalidRequestError = InvalidMessage & { request?: IncomingRequest };

export interface Reply {
  result: unknown;
  /** JSON text of `{class, module, message, tb, args, kwargs}`, or null. */
  failure: string | null;
  ending: boolean;
  msgId: string;
  uniqueId: string;
}

export function encodeReply(reply: Reply, maxBytes: number): Buffer {
  return encodeEnvelope(
    { result: reply.result, failure: reply.failure, ending: reply.ending, _msg_id: reply.msgId, _unique_id: reply.uniqueId },
    maxBytes,
  );
}

export interface IncomingReply {
  msgId: string;
  uniqueId: string | null;
  result: unknown;
  failure: string | null;
  ending: boolean;
}

export function decodeReply(body: Buffer, maxBytes: number): IncomingReply {
  const msg = decodeEnvelope(body, maxBytes);
  const msgId = optionalString(msg, '_msg_id');
  if (msgId === null) throw new InvalidMessage({ reason: 'reply without _msg_id' });
  // Older oslo sent the result and then a bare {"ending": true}; both forms are accepted.
  const failure = msg.failure;
  if (failure != null && typeof failure !== 'string') throw new InvalidMessage({ reason: 'failure is not a string' });
  return {
    msgId,
    uniqueId: optionalString(msg, '_unique_id'),
    result: msg.result ?? null,
    failure: failure ?? null,
    ending: msg.ending === true,
  };
}

function optionalString(msg: Record<string, unknown>, key: string): string | null {
  const v = msg[key];
  return typeof v === 'string' ? v : null;
}

function requireString(msg: Record<string, unknown>, key: string): string {
  const v = msg[key];
  if (typeof v !== 'string') throw new InvalidMessage({ reason: `${key} is not a string` });
  return v;
}
