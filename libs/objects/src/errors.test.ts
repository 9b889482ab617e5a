import { NovakitError } from '@novakit/versioned-objects';
import { describe, expect, it } from 'vitest';
import { FlavorNotFound, FlavorNotFoundByName, InstanceNotFound, OBJECTS_ERRORS, translateDbError, UnexpectedDeletingTaskStateError, UnexpectedTaskStateError } from './errors.js';

/** What libs/db throws: an Error with Nova's name and kwargs (no import of libs/db here). */
function dbError(name: string, kwargs: Record<string, unknown>, message = `${name}!`): Error {
  return Object.assign(new Error(message), { name, kwargs });
}

describe('domain errors', () => {
  it('have unique names, categories and templated messages', () => {
    const names = OBJECTS_ERRORS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const cls of OBJECTS_ERRORS) expect(['NotFound', 'Invalid', 'Conflict', 'NotSupported', 'Forbidden', 'Unavailable', 'Internal']).toContain(cls.category);
    const e = new InstanceNotFound({ instance_id: 'abc' });
    expect(e).toBeInstanceOf(NovakitError);
    expect([e.name, e.message, e.category]).toEqual(['InstanceNotFound', 'Instance abc could not be found.', 'NotFound']);
    expect(new FlavorNotFoundByName({ flavor_name: 'm1' })).toBeInstanceOf(FlavorNotFound);
    expect(new UnexpectedTaskStateError({ instance_uuid: 'u', expected: [null, 'spawning'], actual: 'deleting' }).message).toBe(
      'Unexpected task state: expecting [null, "spawning"] but the actual state is "deleting"',
    );
  });

  it('translates database errors by name, keeping kwargs, message and subclassing', () => {
    const e = translateDbError(dbError('UnexpectedDeletingTaskStateError', { instance_uuid: 'u', expected: [null], actual: 'deleting' }, 'from db'));
    expect(e).toBeInstanceOf(UnexpectedDeletingTaskStateError);
    expect(e).toBeInstanceOf(UnexpectedTaskStateError);
    expect((e as UnexpectedTaskStateError).kwargs.actual).toBe('deleting');
    expect((e as Error).message).toBe('from db');
    const unknown = dbError('DBDeadlock', { attempts: 5 });
    expect(translateDbError(unknown)).toBe(unknown);
    expect(translateDbError('not an error')).toBe('not an error');
  });
});
