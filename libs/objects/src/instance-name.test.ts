import { describe, expect, it } from 'vitest';
import { formatInstanceName } from './instance-name.js';

function source(fields: Record<string, unknown>) {
  return {
    obj_attr_is_set: (name: string) => {
      if (!['id', 'uuid', 'hostname'].includes(name)) throw new Error(`no field ${name}`);
      return name in fields;
    },
    obj_get: (name: string) => fields[name],
  };
}

describe('formatInstanceName', () => {
  const uuid = '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47';

  it('applies printf-style templates to the id', () => {
    expect(formatInstanceName('instance-%08x', source({ id: 255, uuid }))).toBe('instance-000000ff');
    expect(formatInstanceName('vm-%d', source({ id: 42, uuid }))).toBe('vm-42');
    expect(formatInstanceName('100%% vm-%5d', source({ id: 42, uuid }))).toBe('100% vm-   42');
  });

  it('applies named templates to fields', () => {
    expect(formatInstanceName('%(hostname)s-%(id)d', source({ id: 7, uuid, hostname: 'web' }))).toBe('web-7');
    expect(formatInstanceName('uuid-%(uuid)s', source({ uuid }))).toBe(`uuid-${uuid}`);
  });

  it('falls back to the uuid when a field is missing or unknown', () => {
    expect(formatInstanceName('instance-%08x', source({ uuid }))).toBe(uuid);
    expect(formatInstanceName('%(nope)s', source({ id: 1, uuid }))).toBe(uuid);
  });
});
