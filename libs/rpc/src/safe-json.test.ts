import { describe, expect, it } from 'vitest';
import { safeJsonParse } from './safe-json.js';

describe('safeJsonParse', () => {
  it('parses ordinary JSON unchanged', () => {
    expect(safeJsonParse('{"a":[1,{"b":"ü"}],"c":null}')).toEqual({ a: [1, { b: 'ü' }], c: null });
  });

  it('drops __proto__ keys, also behind \\u escapes, so a later merge cannot pollute', () => {
    const v = safeJsonParse('{"a":{"__proto__":{"polluted":1}},"\\u005f_proto__":{"polluted":2},"b":1}') as Record<string, any>;
    expect(Object.hasOwn(v.a, '__proto__')).toBe(false);
    expect(Object.keys(v)).toEqual(['a', 'b']);
    Object.assign({}, v.a, v);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('drops constructor/prototype objects but keeps such keys with plain values', () => {
    const v = safeJsonParse('{"constructor":{"prototype":{"x":1}},"k":{"constructor":"a string"}}') as any;
    expect(Object.hasOwn(v, 'constructor')).toBe(false);
    expect(v.k.constructor).toBe('a string');
  });
});
