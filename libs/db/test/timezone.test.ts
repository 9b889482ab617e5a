// Timestamps are naive UTC on every backend whatever the process time zone: pg and
// mysql2 would otherwise convert with the local zone on the way in or out.
process.env.TZ = 'Asia/Kolkata';

import { expect, it } from 'vitest';
import { describeBackends } from './support/backends.js';

describeBackends('timestamps under a non-UTC process time zone', ({ db }) => {
  it('round-trips datetimes and stamps created_at in UTC', async () => {
    expect(new Date('2020-01-01T00:00:00Z').getTimezoneOffset()).toBe(-330);
    const before = Date.now();
    const inst = await db().api.instance_create({}, { launched_at: '2014-10-16T01:02:03Z', terminated_at: new Date('2014-10-17T23:59:59Z') });
    const got = await db().api.instance_get_by_uuid({}, inst.uuid, { columnsToJoin: [] });
    expect(got.launched_at?.toISOString()).toBe('2014-10-16T01:02:03.000Z');
    expect(got.terminated_at?.toISOString()).toBe('2014-10-17T23:59:59.000Z');
    expect(Math.abs(got.created_at!.getTime() - before)).toBeLessThan(60_000);
    const [raw] = await db().database.knex('instances').where('uuid', inst.uuid).select(db().database.knex.raw('launched_at as v'));
    expect(String(raw.v)).toMatch(/^2014-10-16[ T]01:02:03/);
  });
});
