import { InvalidMessage, MessageTooLarge, UnsupportedRpcEnvelopeVersion } from './errors.js';
import { isPlainRecord, safeJsonParse } from './safe-json.js';
import { isValidVersion, versionIsCompatible } from './version.js';

export const ENVELOPE_VERSION = '2.0';
const VERSION_KEY = 'oslo.version';
const MESSAGE_KEY = 'oslo.message';

/**
 * oslo's message envelope 2.0: the message dict JSON-encoded, then wrapped as a string
 * in `{"oslo.version": "2.0", "oslo.message": "<json>"}`. Both transports carry exactly
 * these bytes. (Python writes `", "` separators; the compact form parses the same.)
 */
export function encodeEnvelope(message: Record<string, unknown>, maxBytes: number): Buffer {
  const body = Buffer.from(`{"${VERSION_KEY}":"${ENVELOPE_VERSION}","${MESSAGE_KEY}":${JSON.stringify(JSON.stringify(message))}}`);
  if (body.length > maxBytes) throw new MessageTooLarge({ size: body.length, limit: maxBytes });
  return body;
}

/**
 * Decodes a request or reply body. Like oslo, a JSON object without both envelope keys is
 * taken as an envelope-1.0 message as it stands.
 */
export function decodeEnvelope(body: Buffer, maxBytes: number): Record<string, unknown> {
  if (body.length > maxBytes) throw new MessageTooLarge({ size: body.length, limit: maxBytes });
  const text = body.toString('utf8');
  // The outer object of an envelope is only read for its two keys, so it needs no
  // sanitising; a message without envelope is the message itself and does.
  const outer = parseObject(text, 'body', JSON.parse);
  if (!Object.hasOwn(outer, VERSION_KEY) || !Object.hasOwn(outer, MESSAGE_KEY)) return parseObject(text, 'body', safeJsonParse);
  const version = outer[VERSION_KEY];
  if (!isValidVersion(version) || !versionIsCompatible(ENVELOPE_VERSION, version)) {
    throw new UnsupportedRpcEnvelopeVersion({ version: String(version) });
  }
  const inner = outer[MESSAGE_KEY];
  if (typeof inner !== 'string') throw new InvalidMessage({ reason: `${MESSAGE_KEY} is not a string` });
  return parseObject(inner, MESSAGE_KEY, safeJsonParse);
}

function parseObject(text: string, what: string, parse: (text: string) => unknown): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(text);
  } catch (err) {
    throw new InvalidMessage({ reason: `${what} is not JSON (${(err as Error).message})` });
  }
  if (!isPlainRecord(value)) throw new InvalidMessage({ reason: `${what} is not a JSON object` });
  return value;
}
