// 100,000 random and mutated primitives into obj_from_primitive: each one loads or throws a
// typed error; nothing else escapes, no prototype is polluted, no input is pathologically slow.
import { describe, expect, it } from 'vitest';
import { NovakitError } from '../src/index.js';
import { makeWidget, registry, Tag, TagList } from './widgets.js';

const ITERATIONS = 100_000;
const SLOW_MS = 50;

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.1.4', '1.x.9', '99.0', '2.0', '', '1', '1.2.3.4', '-1.0', '1e3', ' 1.0', '01.0', '1.0\n', 7, null, [], {}];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', 'obj_name', '_v'];
const HUGE = 'x'.repeat(1 << 18);
const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, -0, '', 'x', HUGE, [], {}, [[[]]], { a: { b: {} } }, '2024-13-45T99:99:99Z', 'NaN', '1e309', '\u0000', '💥'.repeat(1000)];

const bases = (): unknown[] => {
  const w = makeWidget();
  const list = new TagList({ objects: [new Tag({ name: 'a', color: 'b' }), new Tag({ name: 'c' })] });
  return [w.obj_to_primitive(), w.obj_to_primitive({ targetVersion: '1.0' }), list.obj_to_primitive(), new Tag({ name: 'z' }).obj_to_primitive()];
};
const BASE_TEXT = bases().map((b) => JSON.stringify(b));

function randomValue(depth: number): unknown {
  const r = rand();
  if (depth > 4 || r < 0.5) {
    const w = pick(WEIRD);
    return w !== null && typeof w === 'object' ? structuredClone(w) : w;
  }
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < 3; i++) o[pick([...KEYS, 'id', 'name', 'versioned_object.name', 'versioned_object.data'])] = randomValue(depth + 1);
  return o;
}

function deepNest(levels: number): unknown {
  let inner: unknown = JSON.parse(BASE_TEXT[3]!);
  for (let i = 0; i < levels; i++) {
    inner = { 'versioned_object.name': 'Widget', 'versioned_object.namespace': 'versionedobjects', 'versioned_object.version': '1.2', 'versioned_object.data': { child: inner } };
  }
  return inner;
}

/** Walk to a random container inside `root` and mutate one entry. */
function mutate(root: any): any {
  const steps = 1 + Math.floor(rand() * 6);
  let node = root;
  for (let i = 0; i < steps && node && typeof node === 'object'; i++) {
    const keys = Object.keys(node);
    if (!keys.length) break;
    const k = pick(keys);
    if (node[k] && typeof node[k] === 'object' && rand() < 0.7) node = node[k];
    else break;
  }
  if (!node || typeof node !== 'object') return root;
  const keys = Object.keys(node);
  const op = rand();
  const key = keys.length ? pick(keys) : 'x';
  if (op < 0.25) delete node[key];
  else if (op < 0.5) node[key] = randomValue(0);
  else if (op < 0.6) node[key] = structuredClone(pick(VERSIONS));
  else if (op < 0.8) Object.defineProperty(node, pick(KEYS), { value: randomValue(0), enumerable: true, configurable: true, writable: true });
  else if (op < 0.9 && Array.isArray(node)) node.push(randomValue(0));
  else node['versioned_object.version'] = structuredClone(pick(VERSIONS));
  return root;
}

function candidate(i: number): unknown {
  const r = rand();
  if (i % 997 === 0) return deepNest(200 + Math.floor(rand() * 2000));
  if (r < 0.1) return randomValue(0);
  if (r < 0.2) {
    // Prototype keys written the way untrusted JSON carries them: as own properties from JSON.parse.
    const text = pick(BASE_TEXT).replace('"versioned_object.data":{', `"versioned_object.data":{"${pick(KEYS)}":${JSON.stringify(randomValue(1))},`);
    return JSON.parse(text);
  }
  let p = JSON.parse(pick(BASE_TEXT));
  const n = 1 + Math.floor(rand() * 3);
  for (let j = 0; j < n; j++) p = mutate(p);
  return p;
}

describe('fuzzing obj_from_primitive', () => {
  it(`${ITERATIONS} random and mutated primitives: loaded or a typed error, nothing else`, () => {
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const untyped: string[] = [];
    const slow: Array<{ ms: number; sample: string }> = [];
    let loaded = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const input = candidate(i);
      const run = () => {
        const t0 = performance.now();
        try {
          registry.fromPrimitive(input);
          loaded++;
        } catch (e) {
          if (!(e instanceof NovakitError) && untyped.length < 5) untyped.push(`${(e as Error)?.name}: ${(e as Error)?.message}`.slice(0, 200));
        }
        return performance.now() - t0;
      };
      const ms = run();
      // A GC pause is not the input's fault: time a slow input once more before calling it slow.
      if (ms > SLOW_MS && run() > SLOW_MS) slow.push({ ms, sample: JSON.stringify(input)?.slice(0, 200) ?? '' });
    }
    expect(untyped).toEqual([]);
    expect(slow).toEqual([]);
    expect(loaded).toBeGreaterThan(1000);
    expect(loaded).toBeLessThan(ITERATIONS);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as any).polluted).toBeUndefined();
    expect((Object.prototype as any).id).toBeUndefined();
  }, 120_000);
});
