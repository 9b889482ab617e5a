/**
 * A fake QEMU monitor on a real Unix socket: greeting, capabilities negotiation, the commands of
 * FakeVm, events to every connection, and faults to inject (malformed replies, no reply, a peer
 * that dies mid-command). "Fake the library, not the driver": the building blocks run unchanged.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { FakeQmpError, FakeVm, type FakeVmOptions } from './fake-vm.js';

export type FakeQmpFault =
  /** A line that is not JSON. */
  | { kind: 'not-json' }
  /** A success reply whose `return` has the wrong shape. */
  | { kind: 'wrong-shape'; value: unknown }
  /** A reply carrying an id the client never sent. */
  | { kind: 'unknown-id' }
  /** A QMP error reply. */
  | { kind: 'error'; errorClass?: string; desc?: string }
  /** Swallow the command: the client times out. */
  | { kind: 'no-reply' }
  /** The process dies on receipt: every socket closes, nothing more is answered. */
  | { kind: 'die' };

export interface FakeQmpServerOptions extends FakeVmOptions {
  /** 'none': accept and stay silent; 'malformed': send a non-greeting line. */
  greeting?: 'normal' | 'none' | 'malformed';
}

export interface ReceivedCommand {
  command: string;
  args: Record<string, unknown>;
}

export class FakeQmpServer {
  readonly vm: FakeVm;
  /** Every command received, in order (qmp_capabilities included). */
  readonly received: ReceivedCommand[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly faults = new Map<string, FakeQmpFault[]>();
  private exitListeners: (() => void)[] = [];

  private constructor(
    readonly path: string,
    private readonly server: Server,
    private readonly options: FakeQmpServerOptions,
  ) {
    this.vm = new FakeVm(options);
    this.vm.emit = (event, data) => this.broadcast(event, data);
    this.vm.exit = () => this.kill();
  }

  static listen(path: string, options: FakeQmpServerOptions = {}): Promise<FakeQmpServer> {
    const server = createServer();
    const fake = new FakeQmpServer(path, server, options);
    server.on('connection', (s) => fake.accept(s));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve(fake));
    });
  }

  get alive(): boolean {
    return !this.vm.exited;
  }

  /** The next `times` calls of `command` get `fault` instead of the normal answer. */
  injectFault(command: string, fault: FakeQmpFault, times = 1): void {
    const queue = this.faults.get(command) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(command, queue);
  }

  /** Emit an event as QEMU would (e.g. a guest-initiated SHUTDOWN). */
  emitEvent(event: string, data?: Record<string, unknown>): void {
    this.broadcast(event, data);
  }

  onExit(listener: () => void): void {
    if (this.vm.exited) listener();
    else this.exitListeners.push(listener);
  }

  /** The process dies: sockets reset, the socket file goes away. Idempotent. */
  kill(): void {
    if (this.vm.exited) return;
    this.vm.dispose();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.server.close();
    rmSync(this.path, { force: true });
    for (const l of this.exitListeners.splice(0)) l();
  }

  private accept(socket: Socket): void {
    if (this.vm.exited) return void socket.destroy();
    this.sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
    socket.setEncoding('utf8');
    const greeting = this.options.greeting ?? 'normal';
    if (greeting === 'malformed') socket.write('{"hello": "not qmp"}\r\n');
    if (greeting === 'normal') {
      const version = { qemu: { major: 7, minor: 2, micro: 22 }, package: 'fake' };
      socket.write(`${JSON.stringify({ QMP: { version, capabilities: ['oob'] } })}\r\n`);
    }
    let negotiated = false;
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '' || this.vm.exited) continue;
        negotiated = this.onLine(socket, line, negotiated);
      }
    });
  }

  private onLine(socket: Socket, line: string, negotiated: boolean): boolean {
    let msg: { execute?: string; arguments?: Record<string, unknown>; id?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      this.write(socket, { error: { class: 'GenericError', desc: 'JSON parse error' } });
      return negotiated;
    }
    const command = String(msg.execute);
    const args = msg.arguments ?? {};
    this.received.push({ command, args });
    const id = msg.id;
    const fault = this.faults.get(command)?.shift();
    if (fault) {
      this.applyFault(socket, fault, id);
      return negotiated || command === 'qmp_capabilities';
    }
    if (command === 'qmp_capabilities') {
      if (negotiated) return this.replyError(socket, id, 'CommandNotFound', 'Capabilities negotiation is already complete, command ignored'), true;
      this.write(socket, { return: {}, id });
      return true;
    }
    if (!negotiated) {
      this.replyError(socket, id, 'CommandNotFound', "Expecting capabilities negotiation with 'qmp_capabilities'");
      return false;
    }
    try {
      const value = this.vm.handle(command, args);
      if (!this.vm.exited || command === 'quit') this.write(socket, { return: value, id });
    } catch (err) {
      if (!(err instanceof FakeQmpError)) throw err;
      this.replyError(socket, id, err.errorClass, err.desc);
    }
    return true;
  }

  private applyFault(socket: Socket, fault: FakeQmpFault, id: unknown): void {
    switch (fault.kind) {
      case 'not-json':
        return void socket.write('{"return": {}, "id": \r\n');
      case 'wrong-shape':
        return this.write(socket, { return: fault.value, id });
      case 'unknown-id':
        return this.write(socket, { return: {}, id: 'never-sent' });
      case 'error':
        return this.replyError(socket, id, fault.errorClass ?? 'GenericError', fault.desc ?? 'injected failure');
      case 'no-reply':
        return;
      case 'die':
        return this.kill();
    }
  }

  private replyError(socket: Socket, id: unknown, errorClass: string, desc: string): void {
    this.write(socket, { error: { class: errorClass, desc }, id });
  }

  private broadcast(event: string, data?: Record<string, unknown>): void {
    const now = Date.now();
    const timestamp = { seconds: Math.floor(now / 1000), microseconds: (now % 1000) * 1000 };
    for (const s of this.sockets) this.write(s, data ? { event, data, timestamp } : { event, timestamp });
  }

  private write(socket: Socket, value: unknown): void {
    if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\r\n`);
  }
}
