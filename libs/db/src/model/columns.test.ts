import { describe, expect, it } from 'vitest';
import { InvalidColumn } from '../errors.js';
import { formatTime, fromDb, fromDbValue, tableModel, toDate, toDb, toDbValue } from './columns.js';

describe('column mapping', () => {
  it('stores time as naive UTC text at second precision and reads it back as a Date', () => {
    expect(formatTime(new Date('2014-10-16T01:02:03.999Z'))).toBe('2014-10-16 01:02:03');
    expect(toDbValue('time', '2014-10-16T01:02:03')).toBe('2014-10-16 01:02:03'); // no zone = UTC, as on Nova's wire
    expect(toDbValue('time', '2014-10-16T03:02:03+02:00')).toBe('2014-10-16 01:02:03');
    expect((fromDbValue('time', '2014-10-16 01:02:03') as Date).toISOString()).toBe('2014-10-16T01:02:03.000Z');
    expect((fromDbValue('time', '2014-10-16 01:02:03.123456') as Date).toISOString()).toBe('2014-10-16T01:02:03.000Z');
    expect(() => toDate('yesterday')).toThrow(TypeError);
  });

  it('maps booleans, JSON and numbers from every driver form', () => {
    for (const t of [true, 1, '1', 't']) expect(fromDbValue('bool', t)).toBe(true);
    for (const f of [false, 0, '0']) expect(fromDbValue('bool', f)).toBe(false);
    expect(fromDbValue('json', '{"a":"1"}')).toEqual({ a: '1' });
    expect(toDbValue('json', { a: '1' })).toBe('{"a":"1"}');
    expect(toDbValue('json', '[1]')).toBe('[1]');
    expect(() => toDbValue('json', 'not json')).toThrow(SyntaxError);
    expect(fromDbValue('int', '42')).toBe(42);
    expect(fromDbValue('str', null)).toBeNull();
  });

  it('turns `deleted` = id into a boolean and refuses unknown or protected keys', () => {
    const m = tableModel<{ id: number; name: string | null; deleted: boolean }>('t', 'id', { id: 'int', name: 'str', deleted: 'bool' });
    expect(fromDb(m, { id: 7, name: 'x', deleted: 7, extra: 1 })).toEqual({ id: 7, name: 'x', deleted: true });
    expect(fromDb(m, { id: 7, name: null, deleted: 0 })).toEqual({ id: 7, name: null, deleted: false });
    expect(toDb(m, { name: 'y', skipped: undefined } as never)).toEqual({ name: 'y' });
    expect(() => toDb(m, { nope: 1 })).toThrow(InvalidColumn);
    expect(() => toDb(m, { id: 1 })).toThrow(InvalidColumn);
    expect(() => toDb(m, { deleted: true })).toThrow(InvalidColumn);
  });
});
