/**
 * JSON.parse for untrusted bytes. JSON.parse itself never touches prototypes, but a
 * `__proto__` (or `constructor.prototype`) key that survives parsing pollutes whatever
 * later merges the value with Object.assign or a deep-merge helper. Such keys are
 * dropped here, so they never reach application code.
 *
 * The reviver costs several times a plain parse, so it only runs when the text could
 * contain such a key: literally, or hidden behind a \u escape.
 */
const SUSPICIOUS = /__proto__|constructor|prototype|\\u/;

export function safeJsonParse(text: string): unknown {
  return SUSPICIOUS.test(text) ? JSON.parse(text, dropPollutingKeys) : JSON.parse(text);
}

function dropPollutingKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') return undefined;
  if ((key === 'constructor' || key === 'prototype') && typeof value === 'object' && value !== null) return undefined;
  return value;
}

export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
