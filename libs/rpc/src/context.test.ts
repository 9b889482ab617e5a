import { describe, expect, it } from 'vitest';
import { createRequestContext, requestContextFromDict, requestContextToDict } from './context.js';

describe('request context', () => {
  it('generates a request id when missing', () => {
    expect(createRequestContext().request_id).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(requestContextFromDict({}).request_id).toMatch(/^req-/);
    expect(requestContextToDict({ ...createRequestContext(), request_id: '' }).request_id).toMatch(/^req-/);
  });

  it('reads an oslo.context dict (user, project_id, free keys)', () => {
    const ctx = requestContextFromDict({
      user: 'u-123', project_id: 'p-456', project: 'p-456', roles: ['member'], is_admin: false,
      request_id: 'req-0000-1111', user_identity: 'u-123 p-456 - - -', __proto__x: 1,
    });
    expect(ctx).toMatchObject({ user_id: 'u-123', project_id: 'p-456', roles: ['member'], request_id: 'req-0000-1111', user_identity: 'u-123 p-456 - - -' });
    expect(Object.hasOwn(ctx, 'user')).toBe(false);
  });

  it('writes user/project aliases for Python peers and round-trips free keys', () => {
    const d = requestContextToDict(createRequestContext({ user_id: 'u', project_id: 'p', roles: ['admin'], is_admin: true, region: 'r1' }));
    expect(d).toMatchObject({ user_id: 'u', user: 'u', project_id: 'p', project: 'p', is_admin: true, roles: ['admin'], region: 'r1' });
    expect(requestContextFromDict(d)).toEqual(expect.objectContaining({ user_id: 'u', region: 'r1' }));
  });
});
