import type { z } from 'zod';
import { FORBIDDEN_KEYS } from './containers.js';
import { CoercionFailure, type FieldType } from './field-type.js';

export interface JsonModelOptions<T> {
  /** oslo type name for descriptions and fingerprints (Nova's is `NetworkModel`). */
  readonly kind?: string;
  /** `string`: JSON text on the wire, as Nova's NetworkModel field; `value`: the JSON value itself. */
  readonly wire?: 'string' | 'value';
  readonly sample: T;
}

const MAX_DEPTH = 64;
/**
 * JSON texts already validated, per field type, with the canonical text of what the
 * schema returned. The same network_info crosses the wire on every save of an instance
 * (to the conductor and back), and zod re-validating it was ~8% of a conductor's
 * object_action; a hit only parses the canonical text (a fresh value each time).
 */
const VALIDATED_TEXTS = 64;

function refuseForbiddenKeys(v: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new CoercionFailure('JSON nesting is too deep');
  if (Array.isArray(v)) {
    for (const x of v) refuseForbiddenKeys(x, depth + 1);
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) throw new CoercionFailure(`key ${k} is not allowed`);
      refuseForbiddenKeys((v as Record<string, unknown>)[k], depth + 1);
    }
  }
}

/** A structured JSON value validated by a zod schema (Nova's NetworkModel field). */
export function jsonModelType<T>(schema: z.ZodType<T>, options: JsonModelOptions<T>): FieldType<T> {
  const kind = options.kind ?? 'JsonModel';
  const wire = options.wire ?? 'string';
  const parse = (v: unknown): T => {
    refuseForbiddenKeys(v, 0);
    const r = schema.safeParse(v);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new CoercionFailure(`${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}`);
    }
    return r.data;
  };
  const validated = new Map<string, string>();
  const fromText = (text: string): T => {
    const canonical = validated.get(text);
    if (canonical !== undefined) return JSON.parse(canonical) as T;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CoercionFailure(`${kind} is not valid JSON`);
    }
    const value = parse(parsed);
    if (validated.size >= VALIDATED_TEXTS) validated.delete(validated.keys().next().value!);
    validated.set(text, JSON.stringify(value));
    return value;
  };
  return {
    kind,
    describe: () => `${kind}(wire=${wire})`,
    coerce: parse,
    toPrimitive: wire === 'string' ? (v) => JSON.stringify(v) : (v) => JSON.parse(JSON.stringify(v)),
    fromPrimitive(v) {
      if (wire === 'string') {
        if (typeof v !== 'string') throw new CoercionFailure(`${kind} is JSON text on the wire, not a ${typeof v}`);
        return fromText(v);
      }
      return parse(v);
    },
    container: true,
    clone: (v) => (v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v))),
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
    snapshot: (v) => JSON.stringify(v),
    matchesSnapshot: (v, snap) => JSON.stringify(v) === snap,
    sample: () => options.sample,
  };
}
