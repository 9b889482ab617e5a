// libs/objects declares the DB side structurally (ObjectsDbApi) and never imports libs/db;
// this file is where the two meet: libs/db's DbApi must be usable wherever the objects
// expect their DB API. `npx nx run objects:typecheck` fails if they drift apart.
import type { DbApi } from '@novakit/db';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ObjectsDbApi } from '../src/index.js';

const asObjectsDb = (db: DbApi): ObjectsDbApi => db;

describe('ObjectsDbApi', () => {
  it('is implemented by libs/db (checked by the type checker)', () => {
    expectTypeOf<DbApi>().toExtend<ObjectsDbApi>();
    expect(typeof asObjectsDb).toBe('function');
  });
});
