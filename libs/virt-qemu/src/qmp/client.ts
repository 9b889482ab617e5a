/**
 * A small typed QMP client. One instance owns one connection: it reads the greeting, negotiates
 * capabilities, matches replies to commands by id, and fans events out to listeners.
 *
 * Failure model (every failure is a typed error from ../errors.ts, never a crash):
 * - the peer closes or dies: every pending command and event wait rejects with
 *   QmpConnectionClosed, later calls reject at once;
 * - a line that is not a QMP message, or a reply to an id we never sent: QmpProtocolError,
 *   and the connection is dropped because the stream can no longer be trusted;
 * - a reply of the wrong shape: QmpReplyInvalid for that command only;
 * - no reply in time: QmpTimeout for that command; a late reply is discarded.
 */
import type { z } from 'zod';
import {
  QmpCommandFailed,
  QmpConnectionClosed,
  QmpProtocolError,
  QmpReplyInvalid,
  QmpTimeout,
  type VirtQemuError,
} from '../errors.js';
import { QMP_REPLY_SCHEMAS, type QmpCommandArgs, type QmpCommandName, type QmpReturn } from './commands.js';
import { connectUnixSocket, type QmpSocket } from './socket.js';
import { classifyMessage, LineSplitter, QmpGreetingSchema, type QmpEvent, type QmpGreeting } from './wire.js';

export interface QmpClientOptions {
  /** Names the peer in errors (instance name or socket path). */
  label?: string;
  greetingTimeoutMs?: number;
  /** Default per-command deadline; TCG guests on a loaded host answer slowly, hence generous. */
  commandTimeoutMs?: number;
}

export interface ExecuteOptions {
  timeoutMs?: number;
}

export interface WaitForEventOptions {
  match?: (event: QmpEvent) => boolean;
  timeoutMs?: number;
}

type ExecuteRest<C extends QmpCommandName> = QmpCommandArgs[C] extends undefined
  ? [args?: QmpCommandArgs[C], options?: ExecuteOptions]
  : undefined extends QmpCommandArgs[C]
    ? [args?: QmpCommandArgs[C], options?: ExecuteOptions]
    : [args: QmpCommandArgs[C], options?: ExecuteOptions];

interface Pending {
  command: string;
  schema: z.ZodType | undefined;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  name: string;
  match: (event: QmpEvent) => boolean;
  resolve: (event: QmpEvent) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const MAX_EXPIRED_IDS = 256;
const MAX_LINE_IN_ERROR = 200;

export class QmpClient {
  readonly label: string;
  private readonly commandTimeoutMs: number;
  private readonly splitter = new LineSplitter();
  private readonly pending = new Map<string, Pending>();
  private readonly expired = new Set<string>();
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(event: QmpEvent) => void>();
  private readonly closeListeners = new Set<(reason: VirtQemuError) => void>();
  private greetingSeen = false;
  private onGreeting: ((greeting: QmpGreeting) => void) | undefined;
  private nextId = 1;
  private failure: VirtQemuError | undefined;
  private greetingValue: QmpGreeting | undefined;

  private constructor(
    private readonly socket: QmpSocket,
    options: QmpClientOptions,
  ) {
    this.label = options.label ?? 'qemu';
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
    socket.on('data', (chunk) => this.onData(String(chunk)));
    socket.on('error', () => {}); // 'close' follows and carries the outcome
    socket.on('close', () => this.fail(new QmpConnectionClosed({ label: this.label, reason: 'peer closed the socket' })));
  }

  /** Read the greeting and negotiate capabilities on an open socket. */
  static async handshake(socket: QmpSocket, options: QmpClientOptions = {}): Promise<QmpClient> {
    const client = new QmpClient(socket, options);
    try {
      await client.greeting(options.greetingTimeoutMs ?? 5_000);
      await client.execute('qmp_capabilities');
      return client;
    } catch (err) {
      client.close();
      throw err;
    }
  }

  /** Connect to a Unix socket (one attempt) and handshake. */
  static async connectUnix(path: string, options: QmpClientOptions = {}): Promise<QmpClient> {
    const socket = await connectUnixSocket(path, options.greetingTimeoutMs);
    return QmpClient.handshake(socket, { label: path, ...options });
  }

  /** The QEMU version and capabilities the peer announced. */
  get info(): QmpGreeting {
    if (!this.greetingValue) throw new Error('QMP greeting not received yet');
    return this.greetingValue;
  }

  get closed(): boolean {
    return this.failure !== undefined;
  }

  /** Run a command from the typed table; the reply is validated against its schema. */
  execute<C extends QmpCommandName>(command: C, ...rest: ExecuteRest<C>): Promise<QmpReturn<C>> {
    const [args, options] = rest;
    return this.send(command, args, QMP_REPLY_SCHEMAS[command], options) as Promise<QmpReturn<C>>;
  }

  /** Run any command; the caller validates the reply. */
  executeUnchecked(command: string, args?: Record<string, unknown>, options?: ExecuteOptions): Promise<unknown> {
    return this.send(command, args, undefined, options);
  }

  /** Listen to every event; returns the unsubscribe function. */
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the connection ends, with the reason. */
  onClose(listener: (reason: VirtQemuError) => void): void {
    if (this.failure) listener(this.failure);
    else this.closeListeners.add(listener);
  }

  /**
   * Resolve with the next event `name` that matches. Start waiting *before* sending the command
   * that triggers it. The returned promise is pre-handled, so abandoning it cannot raise an
   * unhandled rejection.
   */
  waitForEvent(name: string, options: WaitForEventOptions = {}): Promise<QmpEvent> {
    const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
    const promise = new Promise<QmpEvent>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const waiter: Waiter = {
        name,
        match: options.match ?? (() => true),
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new QmpTimeout({ label: this.label, waitingFor: `event ${name}`, timeoutMs }));
        }, timeoutMs),
      };
      waiter.timer.unref(); // a forgotten wait must not keep the process alive
      this.waiters.add(waiter);
    });
    promise.catch(() => {});
    return promise;
  }

  /** Drop the connection. Pending commands reject with QmpConnectionClosed. */
  close(): void {
    this.fail(new QmpConnectionClosed({ label: this.label, reason: 'closed by client' }));
  }

  private greeting(timeoutMs: number): Promise<QmpGreeting> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const timer = setTimeout(() => {
        this.fail(new QmpTimeout({ label: this.label, waitingFor: 'greeting', timeoutMs }));
      }, timeoutMs);
      this.onGreeting = (g) => {
        clearTimeout(timer);
        resolve(g);
      };
      this.onClose((reason) => {
        clearTimeout(timer);
        reject(reason);
      });
    });
  }

  private send(command: string, args: unknown, schema: z.ZodType | undefined, options?: ExecuteOptions): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failureFor(command));
    const id = `${this.nextId++}`;
    const timeoutMs = options?.timeoutMs ?? this.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.rememberExpired(id);
        reject(new QmpTimeout({ label: this.label, waitingFor: `reply to ${command}`, timeoutMs }));
      }, timeoutMs);
      this.pending.set(id, { command, schema, resolve, reject, timer });
      const message = args === undefined ? { execute: command, id } : { execute: command, arguments: args, id };
      this.socket.write(`${JSON.stringify(message)}\n`);
    });
  }

  private onData(chunk: string): void {
    for (const line of this.splitter.push(chunk)) {
      if (this.failure) return;
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return this.protocolError('not JSON', line);
    }
    if (!this.greetingSeen) {
      const greeting = QmpGreetingSchema.safeParse(value);
      if (!greeting.success) return this.protocolError('expected the QMP greeting', line);
      this.greetingSeen = true;
      this.greetingValue = greeting.data;
      this.onGreeting?.(greeting.data);
      return;
    }
    const message = classifyMessage(value);
    if (!message) return this.protocolError('not a QMP reply or event', line);
    if (message.kind === 'event') return this.dispatchEvent(message.event);
    const id = message.id === undefined ? undefined : String(message.id);
    if (id !== undefined && this.expired.delete(id)) return; // late reply to a timed-out command
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending || id === undefined) return this.protocolError(`reply for unknown id ${String(id)}`, line);
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (message.kind === 'error') {
      const { errorClass, desc } = message;
      return pending.reject(new QmpCommandFailed({ label: this.label, command: pending.command, errorClass, desc }));
    }
    if (!pending.schema) return pending.resolve(message.value);
    const parsed = pending.schema.safeParse(message.value);
    if (parsed.success) return pending.resolve(parsed.data);
    pending.reject(new QmpReplyInvalid({ label: this.label, command: pending.command, issues: parsed.error.message }));
  }

  private dispatchEvent(event: QmpEvent): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.name !== event.event || !waiter.match(event)) continue;
      this.waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(event);
    }
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not break the connection for everybody else.
      }
    }
  }

  private protocolError(reason: string, line: string): void {
    this.fail(new QmpProtocolError({ label: this.label, reason, line: line.slice(0, MAX_LINE_IN_ERROR) }));
  }

  private rememberExpired(id: string): void {
    this.expired.add(id);
    if (this.expired.size > MAX_EXPIRED_IDS) this.expired.delete(this.expired.values().next().value!);
  }

  /** The error a command sees when the connection is already gone. */
  private failureFor(command: string): VirtQemuError {
    const f = this.failure!;
    if (f instanceof QmpConnectionClosed) return new QmpConnectionClosed({ ...f.kwargs, during: command });
    return f;
  }

  private fail(reason: VirtQemuError): void {
    if (this.failure) return;
    this.failure = reason;
    this.socket.destroy();
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(this.failureFor(p.command));
    }
    this.pending.clear();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(reason);
    }
    this.waiters.clear();
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
    this.listeners.clear();
  }
}
