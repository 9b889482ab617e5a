import { describe, expect, it } from 'vitest';
import { classifyDriverError } from './drivers.js';

describe('classifyDriverError', () => {
  it('recognises unique violations and retryable lock failures of each driver', () => {
    expect(classifyDriverError({ code: '23505' })).toBe('duplicate');
    expect(classifyDriverError({ code: 'ER_DUP_ENTRY', errno: 1062 })).toBe('duplicate');
    expect(classifyDriverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe('duplicate');
    expect(classifyDriverError({ code: '40P01' })).toBe('deadlock');
    expect(classifyDriverError({ errno: 1213 })).toBe('deadlock');
    expect(classifyDriverError({ code: 'SQLITE_BUSY' })).toBe('busy');
    expect(classifyDriverError({ code: 'SQLITE_CONSTRAINT_NOTNULL' })).toBe('other');
    expect(classifyDriverError('text')).toBe('other');
  });
});
