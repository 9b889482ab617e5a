import { defaultLogger } from './log.js';
import { DEFAULT_EXCHANGE, DEFAULT_MAX_MESSAGE_BYTES, type Transport, type TransportOptions } from './transport.js';
import { AmqpTransport } from './transports/amqp.js';
import { InProcessTransport } from './transports/memory.js';
import { parseTransportUrl } from './transports/url.js';

/**
 * Opens a transport chosen by URL: `memory://<bus>` (in-process; every transport on the
 * same bus name in one process talks to the others) or `amqp://user:pass@host:port/vhost`
 * (`amqps://` for TLS). For AMQP it resolves once connected, retrying with backoff for up
 * to `connectTimeoutMs`.
 */
export async function createTransport(url: string, options: TransportOptions = {}): Promise<Transport> {
  const parsed = parseTransportUrl(url);
  const exchange = options.exchange ?? DEFAULT_EXCHANGE;
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const logger = options.logger ?? defaultLogger();
  if (parsed.kind === 'memory') return new InProcessTransport(parsed.bus, exchange, maxBytes, logger);
  return AmqpTransport.connect(parsed.connectUrl, parsed.redacted, exchange, maxBytes, logger, options);
}
