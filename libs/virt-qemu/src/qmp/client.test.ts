import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeQmpServer } from '../testing/fake-qmp-server.js';
import { QmpClient } from './client.js';
import type { QmpSocket } from './socket.js';

let dir: string;
let server: FakeQmpServer;
const clients: QmpClient[] = [];

async function connect(options = {}): Promise<QmpClient> {
  const c = await QmpClient.connectUnix(server.path, { commandTimeoutMs: 2000, ...options });
  clients.push(c);
  return c;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qmp-'));
  server = await FakeQmpServer.listen(join(dir, 'qmp.sock'));
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  server.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('QmpClient handshake', () => {
  it('reads the greeting and negotiates capabilities', async () => {
    const c = await connect();
    expect(c.info.QMP.version.qemu.major).toBe(7);
    expect(server.received[0]?.command).toBe('qmp_capabilities');
  });

  it('rejects a peer that is not QMP', async () => {
    server.kill();
    server = await FakeQmpServer.listen(join(dir, 'other.sock'), { greeting: 'malformed' });
    await expect(connect()).rejects.toMatchObject({ name: 'QmpProtocolError' });
  });

  it('times out on a silent peer', async () => {
    server.kill();
    server = await FakeQmpServer.listen(join(dir, 'silent.sock'), { greeting: 'none' });
    await expect(connect({ greetingTimeoutMs: 100 })).rejects.toMatchObject({ name: 'QmpTimeout' });
  });

  it('reports a missing socket as QmpConnectFailed', async () => {
    await expect(QmpClient.connectUnix(join(dir, 'nope.sock'))).rejects.toMatchObject({ name: 'QmpConnectFailed' });
  });
});

describe('QmpClient commands', () => {
  it('returns validated replies', async () => {
    const c = await connect();
    await expect(c.execute('query-status')).resolves.toMatchObject({ status: 'running', running: true });
    await c.execute('stop');
    await expect(c.execute('query-status')).resolves.toMatchObject({ status: 'paused', running: false });
  });

  it('matches concurrent replies by id', async () => {
    const c = await connect();
    const [status, cpus, block] = await Promise.all([c.execute('query-status'), c.execute('query-cpus-fast'), c.execute('query-block')]);
    expect(status.status).toBe('running');
    expect(cpus).toHaveLength(1);
    expect(block).toEqual([]);
  });

  it('turns an error reply into QmpCommandFailed with class and description', async () => {
    const c = await connect();
    const err = await c.execute('device_del', { id: 'nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'QmpCommandFailed', kwargs: { command: 'device_del', errorClass: 'DeviceNotFound' } });
    await expect(c.execute('query-status')).resolves.toBeDefined();
  });

  it('rejects a reply of the wrong shape and keeps the connection', async () => {
    const c = await connect();
    server.injectFault('query-status', { kind: 'wrong-shape', value: { status: 42 } });
    await expect(c.execute('query-status')).rejects.toMatchObject({ name: 'QmpReplyInvalid', kwargs: { command: 'query-status' } });
    await expect(c.execute('query-status')).resolves.toMatchObject({ status: 'running' });
  });

  it('drops the connection on a line that is not JSON', async () => {
    const c = await connect();
    server.injectFault('query-status', { kind: 'not-json' });
    await expect(c.execute('query-status')).rejects.toMatchObject({ name: 'QmpProtocolError' });
    expect(c.closed).toBe(true);
    await expect(c.execute('query-block')).rejects.toMatchObject({ name: 'QmpProtocolError' });
  });

  it('drops the connection on a reply to an id it never sent', async () => {
    const c = await connect();
    server.injectFault('query-status', { kind: 'unknown-id' });
    await expect(c.execute('query-status')).rejects.toMatchObject({ name: 'QmpProtocolError' });
  });

  it('times out one command and ignores its late reply', async () => {
    const c = await connect();
    server.injectFault('query-status', { kind: 'no-reply' });
    await expect(c.execute('query-status', undefined, { timeoutMs: 50 })).rejects.toMatchObject({ name: 'QmpTimeout' });
    await expect(c.execute('query-block')).resolves.toEqual([]);
  });

  it('fails pending commands and waits when the peer dies mid-command', async () => {
    const c = await connect();
    const waiting = c.waitForEvent('RESUME', { timeoutMs: 5000 });
    server.injectFault('query-cpus-fast', { kind: 'die' });
    const status = c.execute('query-status');
    const err = await c.execute('query-cpus-fast').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'QmpConnectionClosed', kwargs: { during: 'query-cpus-fast' } });
    await expect(status).resolves.toBeDefined();
    await expect(waiting).rejects.toMatchObject({ name: 'QmpConnectionClosed' });
    await expect(c.execute('query-status')).rejects.toMatchObject({ name: 'QmpConnectionClosed', kwargs: { during: 'query-status' } });
  });

  it('survives the connection reset that follows quit', async () => {
    const c = await connect();
    const closed = new Promise((resolve) => c.onClose(resolve));
    const shutdown = c.waitForEvent('SHUTDOWN');
    await c.execute('quit');
    await expect(shutdown).resolves.toMatchObject({ data: { reason: 'host-qmp-quit' } });
    await expect(closed).resolves.toMatchObject({ name: 'QmpConnectionClosed' });
  });
});

describe('QmpClient over any QmpSocket', () => {
  it('reassembles messages split across chunks and splits several per chunk', async () => {
    const handlers: Record<string, ((arg: any) => void)[]> = {};
    const written: string[] = [];
    const socket: QmpSocket = {
      write: (data: string) => written.push(data),
      on: (event: string, listener: (arg: any) => void) => (handlers[event] ??= []).push(listener),
      destroy: () => {},
    };
    const emit = (chunk: string) => handlers.data?.forEach((h) => h(chunk));
    const connecting = QmpClient.handshake(socket, { label: 'in-memory' });
    emit('{"QMP": {"version": {"qemu": {"major": 7, "minor": 2, "micro": 22}, "package": ""}, "capa');
    emit('bilities": []}}\r\n');
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(written[0]!)).toMatchObject({ execute: 'qmp_capabilities', id: '1' });
    emit('{"return": {}, "id": "1"}\r\n');
    const c = await connecting;
    const status = c.execute('query-status');
    const events: string[] = [];
    c.onEvent((e) => events.push(e.event));
    const ts = '"timestamp": {"seconds": 1, "microseconds": 2}';
    emit(`{"event": "STOP", ${ts}}\r\n{"return": {"status": "paused", "running": false}, "id": "2"}\r\n{"event": "RE`);
    await expect(status).resolves.toEqual({ status: 'paused', running: false });
    emit(`SUME", ${ts}}\r\n`);
    expect(events).toEqual(['STOP', 'RESUME']);
    handlers.close?.forEach((h) => h(undefined));
    await expect(c.execute('query-status')).rejects.toMatchObject({ name: 'QmpConnectionClosed' });
  });
});

describe('QmpClient events', () => {
  it('delivers events to listeners and matching waiters', async () => {
    const c = await connect();
    const seen: string[] = [];
    c.onEvent((e) => seen.push(e.event));
    const resumed = c.waitForEvent('RESUME');
    await c.execute('stop');
    await c.execute('cont');
    await resumed;
    expect(seen).toEqual(['STOP', 'RESUME']);
  });

  it('filters with a predicate and times out', async () => {
    const c = await connect();
    const other = c.waitForEvent('DEVICE_DELETED', { match: (e) => e.data?.device === 'b', timeoutMs: 100 });
    server.emitEvent('DEVICE_DELETED', { device: 'a' });
    await expect(other).rejects.toMatchObject({ name: 'QmpTimeout' });
  });

  it('does not leak an unhandled rejection from an abandoned wait', async () => {
    const c = await connect();
    c.waitForEvent('NEVER', { timeoutMs: 10 });
    await new Promise((r) => setTimeout(r, 30));
    c.close();
  });
});
