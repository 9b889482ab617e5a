import { createHash } from 'node:crypto';
import type { ObjectRegistry, RegisteredClass } from './registry.js';

/**
 * The canonical text of everything about an object that its peers depend on: every field
 * (name, type with element and child object names, nullability, default, read-only, since,
 * lazy), every remotable method and its parameter list, the current version of every child
 * object, and the declared relationships. It covers what oslo's fingerprint misses.
 */
export function fingerprintSource(cls: RegisteredClass): string {
  const meta = cls.meta;
  const registry = meta.registry;
  const fields = [...meta.fields].sort((a, b) => (a.name < b.name ? -1 : 1)).map((fm) => `${fm.name}:${fm.field.describe()}`);
  const methods = [...meta.originals].map(([name, fn]) => `${name}(${parameterList(fn)})`).sort();
  const classMethods = [...meta.classOriginals].map(([name, fn]) => `${name}(${parameterList(fn)})`).sort();
  const children = [...new Set(meta.objectFields.map((fm) => fm.field.type.childObjectName!()))]
    .sort()
    .map((name) => `${name}=${registry.has(name) ? registry.newest(name).meta.version : 'unregistered'}`);
  const relationships = Object.keys(meta.relationships)
    .sort()
    .map((k) => `${k}:${meta.relationships[k]!.map(([p, c]) => `${p}>${c}`).join(',')}`);
  return [
    `fields=[${fields.join(';')}]`,
    `remotable=[${methods.join(';')}]`,
    `remotable_class=[${classMethods.join(';')}]`,
    `children=[${children.join(';')}]`,
    `relationships=[${relationships.join(';')}]`,
  ].join('\n');
}

/** `<version>-<hash>`, like oslo's object_data entries. */
export function fingerprint(cls: RegisteredClass): string {
  const hash = createHash('sha256').update(fingerprintSource(cls)).digest('hex').slice(0, 32);
  return `${cls.meta.version}-${hash}`;
}

/** Fingerprints of the newest class of every registered name, sorted by name. */
export function registryFingerprints(registry: ObjectRegistry): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of registry.names()) out[name] = fingerprint(registry.newest(name));
  return out;
}

/** The parameter list of a function's source, whitespace-normalised (types are gone at runtime). */
export function parameterList(fn: (...args: any[]) => unknown): string {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  if (open < 0) return `/${fn.length}`;
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const ch = src[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) return src.slice(open + 1, i).replace(/\s+/g, '');
    }
  }
  return `/${fn.length}`;
}
