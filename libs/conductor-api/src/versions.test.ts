import { describe, expect, it } from 'vitest';
import {
  capsForServiceVersion,
  COMPUTE_TASK_API,
  COMPUTE_TASK_METHOD_VERSIONS,
  CONDUCTOR_API,
  CONDUCTOR_METHOD_VERSIONS,
  CONDUCTOR_VERSION_BY_SERVICE_VERSION,
} from './versions.js';
import { COMPUTE_TASK_METHOD_ARGS, LEGACY_METHOD_ARGS, OBJECT_METHOD_ARGS } from './wire-args.js';

describe('conductor version histories', () => {
  it('say what every version added, and release 1 is the newest', () => {
    expect(CONDUCTOR_API.versions).toEqual(['1.0', '1.1', '1.2']);
    expect(CONDUCTOR_API.aliases['release-1']).toBe(CONDUCTOR_API.latest);
    expect(COMPUTE_TASK_API.versions).toEqual(['1.0', '1.1']);
    expect(COMPUTE_TASK_API.aliases['release-1']).toBe(COMPUTE_TASK_API.latest);
    for (const text of [...Object.values(CONDUCTOR_API.history), ...Object.values(COMPUTE_TASK_API.history)]) expect(text.length).toBeGreaterThan(20);
  });

  it('send every method at a version whose history entry names it', () => {
    for (const [method, version] of Object.entries(CONDUCTOR_METHOD_VERSIONS)) expect(CONDUCTOR_API.history[version], method).toContain(method);
    for (const [method, version] of Object.entries(COMPUTE_TASK_METHOD_VERSIONS)) expect(COMPUTE_TASK_API.history[version], method).toContain(method);
  });

  it('have a wire schema for every method, and a method for every schema', () => {
    expect(Object.keys({ ...LEGACY_METHOD_ARGS, ...OBJECT_METHOD_ARGS }).sort()).toEqual(Object.keys(CONDUCTOR_METHOD_VERSIONS).sort());
    expect(Object.keys(COMPUTE_TASK_METHOD_ARGS).sort()).toEqual(Object.keys(COMPUTE_TASK_METHOD_VERSIONS).sort());
  });

  it('resolve explicit, alias and auto caps', async () => {
    expect(CONDUCTOR_API.resolveCap('release-1')).toBe('1.2');
    expect(CONDUCTOR_API.resolveCap('1.0')).toBe('1.0');
    expect(CONDUCTOR_API.resolveCap(null)).toBeUndefined();
    const auto = CONDUCTOR_API.versionCap('auto', async () => capsForServiceVersion(0)?.conductor);
    expect(await (auto as () => Promise<string | undefined>)()).toBe('1.0');
  });

  it('map service versions to caps: none up means no cap, unknown newer means the newest known', () => {
    expect(capsForServiceVersion(null)).toBeNull();
    expect(capsForServiceVersion(0)).toEqual({ conductor: '1.0', computeTask: '1.0' });
    expect(capsForServiceVersion(1)).toEqual({ conductor: '1.2', computeTask: '1.1' });
    expect(capsForServiceVersion(7)).toEqual(CONDUCTOR_VERSION_BY_SERVICE_VERSION[1]);
  });
});
