import { InstanceInvalidState, InstanceNotFound, UnexpectedTaskStateError } from '@novakit/objects';
import { NoValidHost } from '@novakit/conductor-api';
import { MessagingTimeout, RemoteError } from '@novakit/rpc';
import { ObjectActionError } from '@novakit/versioned-objects';
import { describe, expect, it } from 'vitest';
import { InvalidInput, NotAuthenticated, RequestTooLarge } from '../errors.js';
import { faultOf } from './fault.js';

const RID = 'req-00000000-0000-4000-8000-000000000000';

describe('faultOf', () => {
  it('maps known errors by category, with their message', () => {
    expect(faultOf(new InstanceNotFound({ instance_id: 'x' }), RID)).toEqual({ status: 404, body: { itemNotFound: { code: 404, message: 'Instance x could not be found.' } }, unexpected: false });
    expect(faultOf(new UnexpectedTaskStateError({ instance_uuid: 'x', expected: [null], actual: 'pausing' }), RID).status).toBe(409);
    expect(faultOf(new InstanceInvalidState({ instance_uuid: 'x', attr: 'vm_state', state: 'stopped', method: 'pause' }), RID).body).toHaveProperty('conflictingRequest');
    expect(faultOf(new NotAuthenticated({}), RID).status).toBe(401);
    expect(faultOf(new RequestTooLarge({ limit_bytes: 10 }), RID).body).toHaveProperty('overLimit');
    expect(faultOf(new NoValidHost({ reason: 'none' }), RID).status).toBe(400);
  });

  it('names the field and the problem of invalid input', () => {
    expect(faultOf(new InvalidInput({ field: 'server.name', problem: 'too long' }), RID).body).toEqual({
      badRequest: { code: 400, message: 'Invalid input for field/attribute server.name: too long', field: 'server.name', problem: 'too long' },
    });
  });

  it('maps a driver error that crossed RPC as RemoteError by its class name', () => {
    const e = new RemoteError({ excType: 'InvalidLocalStorage', value: 'needs shared storage', traceback: ['secret'] });
    expect(faultOf(e, RID)).toEqual({ status: 400, body: { badRequest: { code: 400, message: 'needs shared storage' } }, unexpected: false });
  });

  it('hides everything of an unknown error, our own bugs included, behind a 500 with the request id', () => {
    for (const e of [new Error('secret'), new ObjectActionError({ action: 'save', reason: 'secret' }), new RemoteError({ excType: 'KeyError', value: 'secret', traceback: [] }), 'a string']) {
      const f = faultOf(e, RID);
      expect(f.status).toBe(500);
      expect(JSON.stringify(f.body)).not.toContain('secret');
      expect(f.body.computeFault!.message).toContain(RID);
      expect(f.unexpected).toBe(true);
    }
  });

  it('answers 503 when the backend does not answer', () => {
    expect(faultOf(new MessagingTimeout({ msgId: 'm', timeoutMs: 1 }), RID).status).toBe(503);
  });

  it('keeps Fastify 4xx refusals (media type) and hides its 5xx', () => {
    expect(faultOf({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'Unsupported Media Type' }, RID).status).toBe(415);
    expect(faultOf({ code: 'FST_ERR_SOMETHING', statusCode: 500, message: 'secret' }, RID).status).toBe(500);
  });
});
