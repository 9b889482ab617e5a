import { describe, expect, it } from 'vitest';
import { f, FieldValueError, objectBase, ObjectRegistry, ReadOnlyFieldError } from '../src/index.js';
import { z } from 'zod';
import { Tag } from './widgets.js';

const registry = new ObjectRegistry({ serialNamespace: 'versioned_object', projectNamespace: 'test' });

class Sample extends objectBase({
  registry,
  name: 'Sample',
  version: '1.0',
  history: { '1.0': 'initial' },
  fields: {
    s: f.string(),
    sn: f.string().nullable(),
    i: f.integer(),
    nn: f.nonNegativeInteger(),
    fl: f.float(),
    b: f.boolean(),
    fb: f.flexibleBoolean(),
    u: f.uuid(),
    dt: f.dateTime(),
    ip: f.ipAddress(),
    ip4: f.ipv4Address(),
    ip6: f.ipv6Address(),
    net: f.ipNetwork(),
    mac: f.macAddress(),
    e: f.enum(['a', 'b']),
    sm: f.stateMachine(['building', 'active', 'deleted'], { building: ['active', 'deleted'], active: ['deleted'], deleted: [] }),
    labels: f.list(f.string()).default([]),
    nullables: f.list(f.string().nullable()),
    d: f.dict(f.string()),
    dn: f.dict(f.string().nullable()),
    ints: f.set(f.integer()),
    id: f.integer().readOnly(),
    child: f.object(Tag).nullable(),
    net_info: f.json(z.array(z.object({ id: z.string(), address: z.string() })), { kind: 'NetworkModel', sample: [] }),
  },
}) {}
registry.register(Sample);

function set(field: string, value: unknown): unknown {
  const o = new Sample();
  o.obj_set(field, value);
  return o.obj_get(field);
}
function reason(field: string, value: unknown): string {
  try {
    set(field, value);
  } catch (e) {
    expect(e).toBeInstanceOf(FieldValueError);
    return (e as FieldValueError).kwargs.reason;
  }
  throw new Error(`${field} accepted ${String(value)}`);
}

describe("coercion follows oslo's rules (anchors/data/wire/coercion_samples.json)", () => {
  it('strings', () => {
    expect(set('s', 12)).toBe('12');
    expect(set('s', true)).toBe('True');
    expect(set('s', 1.5)).toBe('1.5');
    expect(set('s', new Date(Date.UTC(2020, 0, 1)))).toBe('2020-01-01 00:00:00+00:00');
    expect(set('sn', null)).toBeNull();
    expect(reason('s', {})).toBe('A string is required, not a dict');
    expect(reason('s', null)).toBe("Field `s' cannot be None");
  });

  it('integers and floats', () => {
    expect(set('i', '7')).toBe(7);
    expect(set('i', 7.9)).toBe(7);
    expect(set('i', -7.9)).toBe(-7);
    expect(set('i', ' 12 ')).toBe(12);
    expect(set('i', true)).toBe(1);
    expect(reason('i', 'x')).toBe("invalid literal for int() with base 10: 'x'");
    expect(reason('i', '7.5')).toContain('invalid literal');
    expect(reason('i', Infinity)).toContain('cannot convert float inf');
    expect(reason('i', 2 ** 60)).toContain('safe range');
    expect(reason('nn', -1)).toContain('must be >= 0');
    expect(set('fl', '1.5')).toBe(1.5);
    expect(set('fl', '1e3')).toBe(1000);
    expect(Number.isNaN(set('fl', 'nan'))).toBe(true);
    expect(reason('fl', 'abc')).toContain('could not convert');
  });

  it('booleans: python truthiness, and the flexible kind', () => {
    expect(set('b', 'false')).toBe(true);
    expect(set('b', '')).toBe(false);
    expect(set('b', 0)).toBe(false);
    expect(set('b', [])).toBe(false);
    expect(set('fb', 'false')).toBe(false);
    expect(set('fb', 'YES')).toBe(true);
    expect(set('fb', ' on ')).toBe(true);
    expect(set('fb', 1)).toBe(true);
    expect(set('fb', 'maybe')).toBe(false);
  });

  it('uuids are validated (stricter than oslo, which only warns)', () => {
    expect(set('u', '0F4C6A10-6F5E-4A55-9A0E-6B4B1E0D7C11')).toBe('0F4C6A10-6F5E-4A55-9A0E-6B4B1E0D7C11');
    expect(reason('u', 'not-a-uuid')).toContain('not a valid UUID');
  });

  it('datetimes: ISO-8601 in, whole seconds with Z out', () => {
    const d = set('dt', '2024-05-06T07:08:09.5+02:00') as Date;
    expect(d.toISOString()).toBe('2024-05-06T05:08:09.500Z');
    const o = new Sample({ dt: d });
    expect((o.obj_to_primitive()['versioned_object.data'] as any).dt).toBe('2024-05-06T05:08:09Z');
    expect((set('dt', '2020-01-01') as Date).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect((set('dt', '2020-01-01 10:00:00') as Date).toISOString()).toBe('2020-01-01T10:00:00.000Z');
    expect(reason('dt', '2020-02-30T00:00:00Z')).toContain('out of range');
    expect(reason('dt', 1234)).toContain('datetime.datetime is required');
    expect(reason('dt', new Date(NaN))).toContain('Invalid Date');
  });

  it('addresses', () => {
    expect(set('ip', '10.0.0.1')).toBe('10.0.0.1');
    expect(set('ip', '2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(set('ip6', 'fe80:0:0:1:0:0:0:0')).toBe('fe80:0:0:1::');
    expect(reason('ip4', '2001:db8::1')).toContain('not a valid IPv4');
    expect(reason('ip4', '010.0.0.1')).toContain('not a valid IPv4');
    expect(set('net', '10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(set('net', '10.0.0.1')).toBe('10.0.0.1/32');
    expect(reason('net', '10.0.0.0/33')).toContain('prefix');
    expect(set('mac', 'AA-BB-CC-DD-EE-FF')).toBe('aa:bb:cc:dd:ee:ff');
    expect(reason('mac', 'aa:bb')).toContain('Malformed MAC');
  });

  it('enums and state machines', () => {
    expect(set('e', 'a')).toBe('a');
    expect(reason('e', 'c')).toBe("Field value 'c' is invalid");
    const o = new Sample({ sm: 'building' });
    o.sm = 'active';
    expect(() => (o.sm = 'building')).toThrow(/active is not allowed to transition to building/);
    o.sm = 'deleted';
    expect(o.sm).toBe('deleted');
  });

  it('lists, dicts and sets coerce their elements', () => {
    expect(set('labels', ['a', 3])).toEqual(['a', '3']);
    expect(set('labels', null)).toEqual([]);
    expect(reason('labels', 'abc')).toBe('A list is required, not a str');
    expect(set('nullables', ['a', null])).toEqual(['a', null]);
    expect(reason('labels', ['a', null])).toContain('element [1]');
    expect(set('d', { a: 1 })).toEqual({ a: '1' });
    expect(set('dn', { a: null })).toEqual({ a: null });
    expect(reason('d', [])).toBe('A dict is required, not a list');
    expect(reason('d', JSON.parse('{"__proto__": {"polluted": "yes"}}'))).toContain('__proto__ is not allowed');
    expect(({} as any).polluted).toBeUndefined();
    expect(set('ints', new Set([3, '1']))).toEqual(new Set([3, 1]));
    const o = new Sample({ ints: new Set([3, 1]) });
    expect((o.obj_to_primitive()['versioned_object.data'] as any).ints).toEqual([3, 1]);
  });

  it('object fields take objects of the named class only', () => {
    expect(reason('child', { name: 'x' })).toBe('An object of type Tag is required, not a dict');
    expect(reason('child', new Sample())).toBe('An object of type Tag is required, not a Sample');
  });

  it('json-model fields validate with zod and travel as JSON text', () => {
    const o = new Sample({ net_info: [{ id: 'v1', address: '10.0.0.2' }] });
    expect((o.obj_to_primitive()['versioned_object.data'] as any).net_info).toBe('[{"id":"v1","address":"10.0.0.2"}]');
    expect(reason('net_info', [{ id: 1 }])).toMatch(/at 0\.id/);
    expect(reason('net_info', JSON.parse('[{"id":"a","address":"b","__proto__":{"x":1}}]'))).toContain('__proto__');
  });

  it('json-model text seen before comes back as a fresh value each time, and bad text is still refused', () => {
    type Net = { id: string; address: string }[];
    const primitive = (netInfo: string) => {
      const p = new Sample({ s: 'x' }).obj_to_primitive();
      (p['versioned_object.data'] as Record<string, unknown>).net_info = netInfo;
      return p;
    };
    const load = (netInfo: string) => (registry.fromPrimitive(primitive(netInfo)) as Sample).net_info as Net;
    const text = '[{"id":"v1","address":"10.0.0.2","extra":"dropped by the schema"}]';
    const first = load(text);
    const second = load(text);
    expect(second).toEqual([{ id: 'v1', address: '10.0.0.2' }]);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    second[0]!.address = '10.0.0.99';
    expect(load(text)).toEqual([{ id: 'v1', address: '10.0.0.2' }]);
    for (let i = 0; i < 2; i++) {
      expect(() => load('[{"id":1,"address":"x"}]')).toThrow(FieldValueError);
      expect(() => load('[{"id":"a","address":"b","__proto__":{"x":1}}]')).toThrow(/__proto__/);
    }
  });
});

describe('null, default and read-only rules', () => {
  it('defaults are not applied at construction, only by obj_set_defaults or on null', () => {
    const o = new Sample();
    expect(o.obj_attr_is_set('labels')).toBe(false);
    o.obj_set_defaults();
    expect(o.labels).toEqual([]);
    expect(() => o.obj_set_defaults('s')).toThrow('No default set for field s');
  });

  it('a read-only field may be set once, re-set to an equal value silently, never changed', () => {
    const o = new Sample({ id: 1 });
    o.obj_reset_changes();
    o.id = 1;
    expect(o.obj_what_changed().size).toBe(0);
    expect(() => (o.id = 2)).toThrow(ReadOnlyFieldError);
    expect(() => (o.id = 2)).toThrow('Cannot modify readonly field id');
  });
});

describe('typed fields', () => {
  it('assignments are checked by the compiler', () => {
    const o = new Sample({ i: 1, sn: null });
    // @ts-expect-error a string is not a number
    expect(() => (o.i = 'x')).toThrow(FieldValueError);
    // @ts-expect-error no such field
    expect(() => new Sample({ nonexistent: 1 })).toThrow('no such field');
    const n: number = o.i;
    const maybe: string | null = o.sn;
    expect([n, maybe]).toEqual([1, null]);
  });
});

describe('datetime wire conversion', () => {
  it('formats and parses like toISOString / Date.parse across years, leap days and centuries', async () => {
    const { datetimeToPrimitive, parseIsoDatetime } = await import('../src/index.js');
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const samples = [Date.UTC(2000, 1, 29, 23, 59, 59), Date.UTC(1900, 2, 1), Date.UTC(1970, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59), Date.UTC(2024, 1, 29, 12)];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(next() * Date.UTC(9999, 0, 1)));
    for (const ms of samples) {
      const d = new Date(ms);
      const text = datetimeToPrimitive(d);
      expect(text).toBe(`${d.toISOString().slice(0, 19)}Z`);
      expect(parseIsoDatetime(text).getTime()).toBe(Math.floor(ms / 1000) * 1000);
    }
    expect(datetimeToPrimitive(new Date(Date.UTC(812, 5, 1, 1, 2, 3)))).toBe('0812-06-01T01:02:03Z');
  });
});
