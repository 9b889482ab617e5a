import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { ConfigError } from './errors.js';

describe('configuration', () => {
  it('fills defaults around the required keys', () => {
    const config = parseConfig({ host: 'node-1', transportUrl: 'amqp://guest:guest@127.0.0.1:5672/' });
    expect(config.driver).toEqual({ name: 'fake', options: {} });
    expect(config.periodic.heartbeatSeconds).toBe(10);
    expect(config.upgradeLevels).toEqual({ compute: 'auto', conductor: 'auto' });
  });

  it('names every bad key and value in one error', () => {
    let err: unknown;
    try {
      parseConfig({ host: 'bad host', transportUrl: 'http://x', driver: { name: 'kvm' }, periodic: { heartbeatSeconds: -1 }, extra: true }, 'c.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    for (const part of ['c.json', 'host:', 'transportUrl:', 'driver.name:', 'periodic.heartbeatSeconds:', '"extra"']) expect(message).toContain(part);
  });

  it('accepts auto, versions and release aliases as upgrade caps and refuses others', () => {
    expect(parseConfig({ host: 'h', transportUrl: 'memory://x', upgradeLevels: { compute: 'release-1', conductor: '1.2' } }).upgradeLevels.compute).toBe('release-1');
    expect(() => parseConfig({ host: 'h', transportUrl: 'memory://x', upgradeLevels: { compute: 'grizzly' } })).toThrow(/upgradeLevels\.compute/);
  });
});
