import { InvalidTransportUrl } from '../errors.js';

export type ParsedTransportUrl =
  | { kind: 'memory'; bus: string; redacted: string }
  | { kind: 'amqp'; connectUrl: string; tls: boolean; redacted: string };

/**
 * `memory://<bus>` (alias `inprocess://`) for the in-process transport; `amqp://`,
 * `amqps://` (TLS) and oslo's `rabbit://` spelling for RabbitMQ. An empty vhost path is
 * RabbitMQ's default vhost `/`.
 */
export function parseTransportUrl(url: string): ParsedTransportUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InvalidTransportUrl({ url: redact(url), reason: 'not a URL' });
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme === 'memory' || scheme === 'inprocess') {
    const bus = decodeURIComponent(u.host + u.pathname).replace(/\/+$/, '') || 'default';
    return { kind: 'memory', bus, redacted: `memory://${bus}` };
  }
  if (scheme === 'amqp' || scheme === 'amqps' || scheme === 'rabbit') {
    if (!u.hostname) throw new InvalidTransportUrl({ url: redact(url), reason: 'no host' });
    const tls = scheme === 'amqps';
    const connectUrl = scheme === 'rabbit' ? `amqp:${url.slice('rabbit:'.length)}` : url;
    return { kind: 'amqp', connectUrl, tls, redacted: redact(connectUrl) };
  }
  throw new InvalidTransportUrl({ url: redact(url), reason: `unsupported scheme ${scheme}` });
}

/** The URL with its password masked, for logs and error messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
