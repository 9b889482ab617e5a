import { describe, expect, it } from 'vitest';
import { DbError, InstanceNotFound, isDbError, UnexpectedDeletingTaskStateError, UnexpectedTaskStateError, UnexpectedVMStateError } from './errors.js';

describe('DB errors', () => {
  it('carry a stable name, kwargs, category and a templated message', () => {
    const e = new InstanceNotFound({ instance_id: 'abc' });
    expect(e.name).toBe('InstanceNotFound');
    expect(InstanceNotFound.errorName).toBe('InstanceNotFound');
    expect(e.kwargs).toEqual({ instance_id: 'abc' });
    expect(e.category).toBe('NotFound');
    expect(e.message).toBe('Instance abc could not be found.');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DbError);
    expect(isDbError(e)).toBe(true);
    expect(isDbError(new Error('x'))).toBe(false);
  });

  it('follow Nova: the deleting variant is an UnexpectedTaskStateError', () => {
    const e = new UnexpectedDeletingTaskStateError({ expected: [null], actual: 'deleting', instance_uuid: 'u' });
    expect(e).toBeInstanceOf(UnexpectedTaskStateError);
    expect(e).not.toBeInstanceOf(UnexpectedVMStateError);
    expect(new UnexpectedTaskStateError({ expected: ['a'], actual: 'b', instance_uuid: 'u' })).not.toBeInstanceOf(UnexpectedDeletingTaskStateError);
    expect(e.message).toBe('Unexpected task state: expecting [null] but the actual state is "deleting"');
  });

  it('are recognised across module copies by brand and name', () => {
    const foreign = Object.assign(new Error('x'), { name: 'InstanceNotFound', lineage: ['InstanceNotFound'] });
    Object.defineProperty(foreign, Symbol.for('novakit.db.DbError'), { value: true });
    expect(foreign).toBeInstanceOf(InstanceNotFound);
    expect(foreign).not.toBeInstanceOf(UnexpectedTaskStateError);
  });
});
