import { describe, expect, it } from 'vitest';
import { defineRpcApi } from './api-history.js';
import { InvalidVersionCap } from './errors.js';

const API = defineRpcApi({
  name: 'conductor',
  history: { '1.0': 'initial', '1.2': 'object_backport_versions', '1.1': 'object_class_action_versions', '2.0': 'legacy methods removed' },
  aliases: { 'release-1': '1.2', 'release-2': '2.0' },
});

describe('defineRpcApi', () => {
  it('sorts the history and knows the latest version', () => {
    expect(API.versions).toEqual(['1.0', '1.1', '1.2', '2.0']);
    expect(API.latest).toBe('2.0');
    expect(API.history['1.2']).toBe('object_backport_versions');
  });

  it('resolves caps from versions, aliases, and nothing', () => {
    expect(API.resolveCap('release-1')).toBe('1.2');
    expect(API.resolveCap('1.1')).toBe('1.1');
    expect(API.resolveCap(undefined)).toBeUndefined();
    expect(API.resolveCap('')).toBeUndefined();
    expect(() => API.resolveCap('juno')).toThrow(InvalidVersionCap);
  });

  it('turns auto into a provider resolved lazily, accepting aliases from it', async () => {
    const cap = API.versionCap('auto', async () => 'release-1');
    expect(typeof cap).toBe('function');
    expect(await (cap as () => Promise<string>)()).toBe('1.2');
    expect(API.versionCap('release-2')).toBe('2.0');
    expect(() => API.versionCap('auto')).toThrow(InvalidVersionCap);
  });

  it('refuses aliases to unknown versions and malformed history keys', () => {
    expect(() => defineRpcApi({ name: 'x', history: { '1.0': 'a' }, aliases: { r: '1.1' as '1.0' } })).toThrow(InvalidVersionCap);
    expect(() => defineRpcApi({ name: 'x', history: { one: 'a' } })).toThrow(InvalidVersionCap);
  });
});
