import { describe, expect, it } from 'vitest';
import { parseApiConfig } from './config.js';

const minimal = { auth: { tokens: { 'a-token-of-16-chars!': { project_id: 'p', user_id: 'u' } } }, volumes: { dataDir: '/tmp/v' } };

describe('parseApiConfig', () => {
  it('fills defaults', () => {
    const c = parseApiConfig(minimal);
    expect(c.listen).toEqual({ host: '127.0.0.1', port: 8774 });
    expect(c.bodyLimitBytes).toBe(65536);
    expect(c.auth.tokens['a-token-of-16-chars!']!.roles).toEqual(['admin']);
    expect([c.rpcTimeoutSeconds, c.longRpcTimeoutSeconds]).toEqual([60, 1800]);
  });

  it('refuses unknown keys, short tokens and no token, naming each', () => {
    expect(() => parseApiConfig({ ...minimal, colour: 1 })).toThrow(/unknown key\(s\) colour/);
    expect(() => parseApiConfig({ ...minimal, auth: { tokens: { short: { project_id: 'p', user_id: 'u' } } } })).toThrow(/at least 16 characters/);
    expect(() => parseApiConfig({ ...minimal, auth: { tokens: {} } })).toThrow(/at least one token/);
  });
});
