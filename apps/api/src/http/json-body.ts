// The only body parser: JSON, within the size limit Fastify enforces while reading, no
// deeper than MAX_DEPTH, and without keys that reach prototypes (`__proto__`, `constructor`,
// `prototype`) anywhere. JSON.parse itself never pollutes a prototype (it defines own
// properties); the keys are refused so that no later spread or record copy can.
import { MalformedRequestBody } from '../errors.js';

export const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Parses and checks a request body; MalformedRequestBody names what is wrong and where. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new MalformedRequestBody({ reason: 'the body is empty; send a JSON object' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MalformedRequestBody({ reason: `not valid JSON (${(e as Error).message})` });
  }
  checkKeys(value);
  return value;
}

/** Iterative walk (a deep document must not overflow the stack before the depth check). */
function checkKeys(root: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) throw new MalformedRequestBody({ reason: `nested deeper than ${MAX_DEPTH} levels at ${path || '(top level)'}` });
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) throw new MalformedRequestBody({ reason: `the key ${JSON.stringify(key)} is not allowed (at ${at})` });
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
}
