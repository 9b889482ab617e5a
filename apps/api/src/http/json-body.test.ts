import { describe, expect, it } from 'vitest';
import { parseJsonBody } from './json-body.js';

describe('parseJsonBody', () => {
  it('parses JSON documents', () => {
    expect(parseJsonBody('{"a": [1, {"b": null}]}')).toEqual({ a: [1, { b: null }] });
    expect(parseJsonBody('null')).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['{"a":', /not valid JSON/],
    ['{"__proto__": {}}', /"__proto__" is not allowed \(at __proto__\)/],
    ['{"a": {"b": [{"constructor": 1}]}}', /\(at a\.b\[0\]\.constructor\)/],
    ['{"prototype": 1}', /"prototype"/],
    [`${'['.repeat(33)}${']'.repeat(33)}`, /nested deeper than 32 levels/],
  ])('refuses %j', (text, why) => {
    expect(() => parseJsonBody(text)).toThrow(why);
  });

  it('walks a very deep document without overflowing the stack', () => {
    const text = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expect(() => parseJsonBody(text)).toThrow(/nested deeper/);
  });

  it('refuses a __proto__ key and leaves Object.prototype alone', () => {
    expect(() => parseJsonBody('{"__proto__": {"polluted": 1}}')).toThrow(/"__proto__" is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
