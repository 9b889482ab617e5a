/** Our encoder and decoder against frames captured from oslo.messaging 14.0.3 (test/fixtures). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from './envelope.js';
import { MessagingTimeout, NoSuchMethod, RPCVersionCapError, UnsupportedVersion } from './errors.js';
import { decodeFailure, encodeFailure, ErrorRegistry } from './failures.js';
import { decodeReply, decodeRequest, encodeReply, encodeRequest } from './message.js';

const capture = JSON.parse(readFileSync(new URL('../test/fixtures/rpc_capture.json', import.meta.url), 'utf8'));
const LIMIT = 1 << 20;
const innerOf = (frame: { raw_body: string }) => JSON.parse(JSON.parse(frame.raw_body)['oslo.message']);

describe('requests', () => {
  it.each(['call', 'cast', 'cast_to_server', 'fanout_cast'])('decodes the captured %s', (name) => {
    const frame = capture[name];
    const req = decodeRequest(Buffer.from(frame.raw_body), LIMIT);
    const d = frame['oslo.message (decoded)'];
    expect(req.method).toBe(d.method);
    expect(req.args).toEqual(d.args);
    expect(req.version).toBe(d.version);
    expect(req.msgId).toBe(d._msg_id ?? null);
    expect(req.replyQueue).toBe(d._reply_q ?? null);
    expect(req.uniqueId).toBe(d._unique_id);
    expect(req.context.request_id).toBe('req-0000-1111');
    expect(req.context.user).toBe('u-123');
  });

  it.each(['call', 'cast'])('re-encodes the captured %s to the same dict, key order included', (name) => {
    const py = innerOf(capture[name]);
    const context = Object.fromEntries(Object.entries(py).filter(([k]) => k.startsWith('_context_')).map(([k, v]) => [k.slice(9), v]));
    const body = encodeRequest(
      {
        method: py.method,
        args: py.args,
        version: py.version,
        reply: py._msg_id ? { msgId: py._msg_id, replyQueue: py._reply_q, monitorTimeoutS: py._timeout } : undefined,
        uniqueId: py._unique_id,
        context,
      },
      LIMIT,
    );
    const outer = JSON.parse(body.toString());
    expect(Object.keys(outer)).toEqual(['oslo.version', 'oslo.message']);
    expect(outer['oslo.version']).toBe('2.0');
    const ours = JSON.parse(outer['oslo.message']);
    expect(ours).toEqual(py);
    expect(Object.keys(ours)).toEqual(Object.keys(py));
  });

  it('accepts a message without envelope (oslo envelope 1.0)', () => {
    const req = decodeRequest(Buffer.from(JSON.stringify({ method: 'echo', args: { x: 1 } })), LIMIT);
    expect(req).toMatchObject({ method: 'echo', args: { x: 1 }, version: '1.0', namespace: null });
  });

  it('refuses an envelope of another major version', () => {
    expect(() => decodeEnvelope(Buffer.from('{"oslo.version":"3.0","oslo.message":"{}"}'), LIMIT)).toThrow(
      'Specified RPC envelope version, 3.0, not supported by this endpoint.',
    );
  });
});

describe('replies', () => {
  it.each(['reply_ok_echo', 'reply_no_such_method', 'reply_unsupported_version', 'reply_remote_exception', 'reply_object_action'])(
    'decodes the captured %s and re-encodes it with the same keys',
    (name) => {
      const frame = capture[name];
      const d = frame['oslo.message (decoded)'];
      const reply = decodeReply(Buffer.from(frame.raw_body), LIMIT);
      expect(reply).toEqual({ msgId: d._msg_id, uniqueId: d._unique_id, result: d.result, failure: d.failure, ending: true });
      const again = innerOf({ raw_body: encodeReply({ ...reply, uniqueId: d._unique_id }, LIMIT).toString() });
      expect(again).toEqual(d);
      expect(Object.keys(again)).toEqual(Object.keys(innerOf(frame)));
    },
  );

  it('produces the dispatcher failures Python produces (all but the traceback)', () => {
    for (const [name, err] of [
      ['reply_no_such_method', new NoSuchMethod({ method: 'nope' })],
      ['reply_unsupported_version', new UnsupportedVersion({ version: '2.0', method: 'echo' })],
      ['reply_minor_too_new', new UnsupportedVersion({ version: '1.4', method: 'echo' })],
    ] as const) {
      const py = JSON.parse(capture[name]['oslo.message (decoded)'].failure);
      const ours = JSON.parse(encodeFailure(err));
      expect(Object.keys(ours)).toEqual(Object.keys(py));
      expect({ ...ours, tb: undefined }).toEqual({ ...py, tb: undefined });
    }
  });

  it('rebuilds a Python failure: dispatcher errors typed, others as RemoteError', () => {
    const registry = ErrorRegistry.withDefaults();
    const nsm = registry.rebuild(decodeFailure(capture.reply_no_such_method['oslo.message (decoded)'].failure));
    expect(nsm).toBeInstanceOf(NoSuchMethod);
    expect((nsm as NoSuchMethod).kwargs.method).toBe('nope');
    const uv = registry.rebuild(decodeFailure(capture.reply_minor_too_new['oslo.message (decoded)'].failure));
    expect(uv).toBeInstanceOf(UnsupportedVersion);
    expect(uv.message).toBe('Endpoint does not support RPC version 1.4. Attempted method: echo');
    const remote = registry.rebuild(decodeFailure(capture.reply_remote_exception['oslo.message (decoded)'].failure));
    expect(remote).toMatchObject({ name: 'RemoteError', message: 'Remote error: ValueError boom from server' });
    expect((remote as any).remoteTraceback.at(-1)).toBe('ValueError: boom from server\n');
  });
});

describe('client-side texts', () => {
  it('match the captured Python exceptions', () => {
    expect(`RPCVersionCapError: ${new RPCVersionCapError({ version: '1.3', versionCap: '1.2' }).message}`).toBe(capture.cast_over_cap);
    const msgId = capture.call['oslo.message (decoded)']._msg_id;
    expect(`MessagingTimeout: ${new MessagingTimeout({ msgId, timeoutMs: 2000 }).message}`).toBe(capture.call_client_error);
  });
});
