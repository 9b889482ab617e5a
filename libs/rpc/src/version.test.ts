import { describe, expect, it } from 'vitest';
import { InvalidVersion } from './errors.js';
import { compareVersions, parseVersion, versionIsCompatible } from './version.js';

describe('versionIsCompatible (oslo rules)', () => {
  it.each([
    ['1.3', '1.3', true],
    ['1.3', '1.0', true],
    ['1.3', '1.4', false],
    ['1.3', '2.0', false],
    ['2.0', '1.9', false],
    ['1.3', '1.3.1', false],
    ['1.3.2', '1.3.1', true],
    ['1.3', '1.2.9', true],
  ])('served %s, requested %s → %s', (imp, req, ok) => {
    expect(versionIsCompatible(imp, req)).toBe(ok);
  });

  it('treats no implementation version as anything and no requested version as nothing', () => {
    expect(versionIsCompatible(undefined, '7.0')).toBe(true);
    expect(versionIsCompatible('1.2', undefined)).toBe(false);
  });

  it('rejects malformed versions', () => {
    expect(() => parseVersion('1')).toThrow(InvalidVersion);
    expect(() => parseVersion('1.x')).toThrow('Version must contain a major and minor integer. Got 1.x');
  });

  it('orders versions numerically', () => {
    expect(['1.10', '1.2', '2.0', '1.2.1'].sort(compareVersions)).toEqual(['1.2', '1.2.1', '1.10', '2.0']);
  });
});
