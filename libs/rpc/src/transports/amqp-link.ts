/**
 * One AMQP connection and its two channels, kept alive: on a drop it reconnects with
 * exponential backoff and tells its owner, which re-attaches consumers. Callers wait for
 * a connection up to their own deadline.
 *
 * The main channel carries everything but casts: request and reply consumers, their
 * acks, calls and replies. The confirm channel carries casts, which wait for publisher
 * confirms. amqplib queues every frame as a chunk of its own and writes them one write()
 * each; the socket is corked around each of its flushes (`coalesceWrites`), so whatever is
 * queued in one turn of the event loop (an ack and the reply, a header and its body)
 * leaves in one writev: on a loaded machine each loopback write costs a context switch.
 */
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { MessageDeliveryFailure, TransportClosed, TransportUnavailable } from '../errors.js';
import type { TransportOptions } from '../transport.js';

export type ChannelKind = 'main' | 'confirm';

export interface LinkOwner {
  /** A new connection with its main channel: declare and consume again. */
  attach(conn: ChannelModel, main: Channel): Promise<void>;
  /** The connection is ready for publishing (after `attach`). */
  ready(): void;
  /** The connection (reattached by the link after reconnecting) or only the main channel is gone. */
  detach(what: 'connection' | 'channel'): void;
}

export class AmqpLink {
  closed = false;
  private conn: ChannelModel | undefined;
  private pending: Partial<Record<ChannelKind, Promise<Channel>>> = {};
  private open: Partial<Record<ChannelKind, Channel>> = {};
  /** Exchanges declared on this connection (forgotten on any channel error). */
  readonly declared = new Set<string>();
  private waiters = new Set<() => void>();
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectUrl: string,
    readonly url: string,
    private readonly opts: TransportOptions,
    private readonly log: Logger,
    private readonly owner: LinkOwner,
  ) {}

  /** The first connection, retried with backoff for up to `connectTimeoutMs`. */
  async start(): Promise<void> {
    const deadline = Date.now() + (this.opts.connectTimeoutMs ?? 30_000);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.connect();
      } catch (err) {
        const delay = this.backoff(attempt);
        if (Date.now() + delay > deadline) throw new TransportUnavailable({ url: this.url, reason: (err as Error).message });
        await sleep(delay);
      }
    }
  }

  /** The channel when open right now; the hot path publishes without awaiting. */
  openChannel(kind: ChannelKind): Channel | undefined {
    return this.open[kind];
  }

  async connection(deadline: number): Promise<ChannelModel> {
    for (;;) {
      if (this.closed) throw new TransportClosed({ url: this.url });
      if (this.conn) return this.conn;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new MessageDeliveryFailure({ reason: `no connection to ${this.url}` });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        const waiters = this.waiters;
        function done(): void {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  async channel(kind: ChannelKind, deadline: number): Promise<Channel> {
    for (;;) {
      const conn = await this.connection(deadline);
      try {
        return await (this.pending[kind] ?? this.openOn(conn, kind));
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        await sleep(10);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    for (const wake of [...this.waiters]) wake();
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const url = this.opts.heartbeatS === undefined ? this.connectUrl : withQuery(this.connectUrl, 'heartbeat', String(this.opts.heartbeatS));
    const conn = await amqp.connect(url, {
      noDelay: true,
      clientProperties: { connection_name: this.opts.connectionName ?? `novakit-rpc ${process.pid}` },
      ...(this.opts.tls ?? {}),
    });
    coalesceWrites(conn);
    let alive = true;
    conn.on('error', (err: Error) => this.log.warn({ err, url: this.url }, 'AMQP connection error'));
    conn.on('blocked', (reason: string) => this.log.warn({ reason, url: this.url }, 'AMQP connection blocked by the broker'));
    conn.on('close', (err?: Error) => {
      alive = false;
      this.onDisconnect(conn, err);
    });
    try {
      const main = await this.openOn(conn, 'main');
      await this.owner.attach(conn, main);
    } catch (err) {
      this.pending = {};
      this.open = {};
      await conn.close().catch(() => undefined);
      throw err;
    }
    if (!alive) throw new Error('connection closed while attaching consumers');
    if (this.closed) {
      await conn.close().catch(() => undefined);
      return;
    }
    this.conn = conn;
    for (const wake of [...this.waiters]) wake();
    this.owner.ready();
  }

  private openOn(conn: ChannelModel, kind: ChannelKind): Promise<Channel> {
    const pending = kind === 'confirm' ? conn.createConfirmChannel() : conn.createChannel();
    this.pending[kind] = pending;
    pending.then(
      (ch) => this.watch(ch, kind, pending),
      () => {
        if (this.pending[kind] === pending) delete this.pending[kind];
      },
    );
    return pending;
  }

  private watch(ch: Channel, kind: ChannelKind, pending: Promise<Channel>): void {
    if (this.pending[kind] === pending) this.open[kind] = ch;
    ch.on('error', (err: Error) => this.log.warn({ err, kind }, 'AMQP channel error'));
    ch.on('return', (msg: { fields: { routingKey: string } }) => {
      this.log.warn({ reply_q: msg.fields.routingKey }, 'reply queue does not exist; reply dropped');
    });
    ch.on('close', () => {
      if (this.pending[kind] !== pending) return;
      delete this.pending[kind];
      delete this.open[kind];
      // A channel error may be a 404 on an exchange deleted behind our back: declare again.
      this.declared.clear();
      if (kind === 'main' && this.conn && !this.closed) this.owner.detach('channel');
    });
  }

  private onDisconnect(conn: ChannelModel, err: Error | undefined): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.pending = {};
    this.open = {};
    this.declared.clear();
    this.owner.detach('connection');
    if (this.closed) return;
    this.log.warn({ err, url: this.url }, 'AMQP connection lost; reconnecting');
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => this.log.info({ url: this.url, attempt }, 'AMQP connection re-established'),
        (err: Error) => {
          if (this.closed) return;
          this.log.warn({ err: err.message, url: this.url, attempt }, 'AMQP reconnect failed');
          this.scheduleReconnect(attempt + 1);
        },
      );
    }, this.backoff(attempt));
  }

  backoff(attempt: number): number {
    const initial = this.opts.reconnect?.initialDelayMs ?? 100;
    const max = this.opts.reconnect?.maxDelayMs ?? 5000;
    return Math.min(max, initial * 2 ** attempt) * (0.8 + Math.random() * 0.4);
  }
}

/**
 * amqplib queues each frame (an ack, a publish's method + header, its body) as a separate
 * chunk and its muxer writes them to the socket one by one, on a setImmediate after they were
 * queued: an ack and the reply published in the same turn cost the server two or three
 * write syscalls, and a message over 2 KiB costs the client two, each a separate TCP
 * segment the broker is woken for. Corking the socket for the duration of one muxer flush
 * sends whatever the flush writes in a single writev. Same frames, same order; only the
 * number of segments changes. amqplib 2.3.1 internals (`connection.muxer`, `.stream`),
 * feature-detected: without them nothing changes.
 */
function coalesceWrites(conn: ChannelModel): void {
  const internals = (conn as unknown as { connection?: { muxer?: { _readIncoming?: unknown }; stream?: Partial<Duplex> } }).connection;
  const mux = internals?.muxer;
  const sock = internals?.stream;
  if (!mux || typeof mux._readIncoming !== 'function' || typeof sock?.cork !== 'function' || typeof sock.uncork !== 'function') return;
  const flush = mux._readIncoming as () => void;
  mux._readIncoming = function corkedFlush(this: unknown): void {
    sock.cork!();
    try {
      flush.call(this);
    } finally {
      sock.uncork!();
    }
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withQuery(url: string, key: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${key}=${encodeURIComponent(value)}`;
}
