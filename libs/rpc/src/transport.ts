/**
 * The byte-level transport contract. A transport moves already-encoded envelopes (the
 * exact bytes of the wire) between exchanges and queues named as oslo's rabbit driver
 * names them; everything above it (encoding, dispatch, replies) is shared, so the
 * in-process transport exercises the same wire code as RabbitMQ.
 */
import type { Logger } from 'pino';
import type { ConnectionOptions as TlsOptions } from 'node:tls';

export interface Destination {
  /** The topic exchange (control exchange); unused for fanout, which uses `<topic>_fanout`. */
  exchange: string;
  topic: string;
  /** Routes to `<topic>.<server>` instead of the shared `<topic>` queue. */
  server?: string;
  fanout?: boolean;
}

export interface PublishOptions {
  /** Broker-side TTL in ms (calls carry their timeout, as oslo does). */
  expirationMs?: number;
  /** Resolve only once the broker confirmed the message (casts: publisher confirms). */
  confirm: boolean;
  /** Epoch ms after which waiting for a connection or a confirm fails the publish. */
  deadline: number;
}

export interface ListenSpec {
  exchange: string;
  topic: string;
  server: string;
}

/** Called once per received message; the message is already acknowledged (at-most-once, as oslo). */
export type Deliver = (body: Buffer) => void;

export interface Subscription {
  /** Stops delivery. Messages already delivered remain the subscriber's to finish. */
  stop(): Promise<void>;
  /** Settles when the subscription has ended, by `stop()` or because the transport closed. */
  readonly ended: Promise<void>;
}

export interface ReplySubscription extends Subscription {
  /** The queue name to put in `_reply_q`. */
  readonly queue: string;
}

export interface Transport {
  /** The URL without credentials, for logs and errors. */
  readonly url: string;
  /** Control exchange for topic traffic (oslo's `control_exchange`). */
  readonly exchange: string;
  /** Messages above this size are refused when sent and dropped when received. */
  readonly maxMessageBytes: number;
  readonly logger: Logger;
  readonly closed: boolean;
  /** Topic, `topic.server` or fanout publish of an encoded request. */
  publish(dest: Destination, body: Buffer, opts: PublishOptions): Promise<void>;
  /** Publish of an encoded reply to a caller's reply queue (default exchange). */
  publishReply(replyQueue: string, body: Buffer, deadline: number): Promise<void>;
  /** Consume `<topic>`, `<topic>.<server>` and a private `<topic>_fanout_<uuid>` queue. */
  listen(spec: ListenSpec, deliver: Deliver): Promise<Subscription>;
  /** Declare and consume a `reply_<uuid>` queue. */
  listenReplies(deliver: Deliver): Promise<ReplySubscription>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** oslo's control_exchange; default `openstack` (Nova sets `nova`). */
  exchange?: string;
  /** Default 16 MiB. */
  maxMessageBytes?: number;
  /** Default: a pino logger named `novakit-rpc` at `NOVAKIT_LOG_LEVEL` (info). */
  logger?: Logger;
  /** AMQP: give up on the first connection after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** AMQP: reconnect backoff, doubling from `initialDelayMs` up to `maxDelayMs` (100 ms, 5 s). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** AMQP: heartbeat in seconds (default: the broker's suggestion). */
  heartbeatS?: number;
  /** AMQP over TLS (`amqps://`): CA, client certificate, servername… */
  tls?: TlsOptions;
  /** AMQP: shown by `rabbitmqctl list_connections client_properties`. */
  connectionName?: string;
}

export const DEFAULT_EXCHANGE = 'openstack';
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** oslo's rabbit_transient_queues_ttl: reply and fanout queues expire when unused this long. */
export const TRANSIENT_QUEUE_TTL_MS = 1_800_000;
