// The error classes every route shares, through HTTP: authentication, unknown routes, bodies
// that are not JSON, too deep, too large, of the wrong media type or with prototype keys,
// wrong types and unknown fields (400 naming the field), unexpected failures (500 with a
// request id and nothing else), and request ids in headers and log lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeServer, http, startTestNode, TOKENS, type TestNode } from './harness.js';

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('HTTP error classes', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({ hosts: 1, bodyLimitBytes: 4096 });
  }, 60_000);
  afterAll(async () => node?.stop());

  it('answers GET /healthz without a token', async () => {
    const res = await http(node, 'GET', '/healthz', { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', api: 'v2.1' });
    expect(res.headers.get('x-openstack-request-id')).toMatch(REQ_ID);
  });

  it('refuses a request without a token, or with an unknown one (401), before reading its body', async () => {
    for (const token of [null, 'not-a-known-token-at-all']) {
      const res = await http(node, 'POST', '/v2.1/servers', { token, body: '{broken' });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
    }
    expect((await http(node, 'GET', '/v2.1/no-such-thing', { token: null })).status).toBe(401);
  });

  it('answers an unknown route with 404 itemNotFound', async () => {
    const res = await http(node, 'GET', '/v2.1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.itemNotFound).toMatchObject({ code: 404 });
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: '{"server": {"name": "x",' });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toMatch(/^Malformed request body: not valid JSON/);
  });

  it('refuses an empty body and a missing body with 400', async () => {
    expect((await http(node, 'POST', '/v2.1/servers', { body: '' })).status).toBe(400);
    const noBody = await http(node, 'POST', '/v2.1/os-volumes', {});
    expect(noBody.status).toBe(400);
  });

  it('refuses another media type with 415', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.badMediaType.code).toBe(415);
  });

  it('refuses a body over the limit with 413 overLimit, naming the limit', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x'.repeat(5000), flavorRef: '1' } } });
    expect(res.status).toBe(413);
    expect(res.body.overLimit.message).toBe('Request is too large: the limit is 4096 bytes.');
  });

  it('refuses a document nested too deep with 400', async () => {
    const deep = `${'['.repeat(40)}${']'.repeat(40)}`;
    const res = await http(node, 'POST', '/v2.1/servers', { body: `{"server": ${deep}}` });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toMatch(/nested deeper than 32 levels/);
  });

  it.each([
    ['__proto__ at the top', '{"__proto__": {"polluted": true}, "server": {"name": "a", "flavorRef": "1"}}', '__proto__'],
    ['constructor nested', '{"server": {"name": "a", "flavorRef": "1", "metadata": {"constructor": {"prototype": {"polluted": true}}}}}', 'server.metadata.constructor'],
    ['prototype in an array', '{"server": {"name": "a", "flavorRef": "1", "networks": [{"prototype": 1}]}}', 'server.networks[0].prototype'],
  ])('refuses prototype keys (%s) with 400, and nothing reaches a prototype', async (_what, text, at) => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: text });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.message).toContain(`(at ${at})`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses wrong types with 400 naming the field and the problem', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 42, flavorRef: '1' } } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest).toMatchObject({ code: 400, field: 'server.name', problem: 'expected string, received number' });
    expect(res.body.badRequest.message).toBe('Invalid input for field/attribute server.name: expected string, received number');
  });

  it('refuses a missing required field with 400 naming it', async () => {
    const res = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body.badRequest.field).toBe('server.flavorRef');
  });

  it('refuses unknown fields with 400 naming them, in bodies and queries', async () => {
    const body = await http(node, 'POST', '/v2.1/servers', { body: { server: { name: 'x', flavorRef: '1', colour: 'red' } } });
    expect(body.status).toBe(400);
    expect(body.body.badRequest).toMatchObject({ field: 'server', problem: 'unknown field(s) "colour"' });
    const query = await http(node, 'GET', '/v2.1/servers?colour=red');
    expect(query.status).toBe(400);
    expect(query.body.badRequest).toMatchObject({ field: 'query', problem: 'unknown field(s) "colour"' });
    const badQuery = await http(node, 'GET', '/v2.1/servers?limit=lots');
    expect(badQuery.body.badRequest).toMatchObject({ field: 'query.limit', problem: 'an integer' });
  });

  it('answers an unexpected failure with 500, the request id, and nothing of the error', async () => {
    const id = await activeServer(node);
    node.driver('compute-1').scenario.setFailure('getDiagnostics', { error: () => new Error('secret internal detail at /srv/novakit/x.ts:42') });
    const res = await http(node, 'GET', `/v2.1/servers/${id}/diagnostics`);
    node.driver('compute-1').scenario.setFailure('getDiagnostics', null);
    const requestId = res.headers.get('x-openstack-request-id')!;
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ computeFault: { code: 500, message: `Unexpected API error. Quote request ${requestId} to the operator.` } });
    expect(res.text).not.toContain('secret');
    expect(res.text).not.toContain('.ts');
    // The operator's log has it, under the request id.
    const logged = node.logs.filter((l) => l.includes(requestId) && l.includes('request failed unexpectedly'));
    expect(logged.length).toBe(1);
  });

  it('puts a fresh request id in the header of every answer, ignoring a client-sent one, and in every log line of the request', async () => {
    const a = await http(node, 'GET', '/v2.1/flavors', { headers: { 'x-openstack-request-id': 'req-forged' } });
    const b = await http(node, 'GET', '/v2.1/servers/nope');
    const ids = [a.headers.get('x-openstack-request-id')!, b.headers.get('x-openstack-request-id')!];
    for (const id of ids) expect(id).toMatch(REQ_ID);
    expect(ids[0]).not.toBe(ids[1]);
    expect(b.headers.get('x-compute-request-id')).toBe(ids[1]);
    // Fastify's request lines (incoming, completed, refused) all carry the id.
    const requestLines = node.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.req || l.res || l.msg === 'request refused');
    expect(requestLines.length).toBeGreaterThan(4);
    for (const l of requestLines) expect(l.request_id).toMatch(REQ_ID);
    const forB = requestLines.filter((l) => l.request_id === ids[1]).map((l) => l.msg);
    expect(forB).toEqual(expect.arrayContaining(['incoming request', 'request refused', 'request completed']));
  });

  it('forbids admin routes to a member token (403 forbidden)', async () => {
    const res = await http(node, 'GET', '/v2.1/os-services', { token: TOKENS.member });
    expect(res.status).toBe(403);
    expect(res.body.forbidden.message).toBe('Policy does not allow os_compute_api:os-services to be performed.');
  });
});
