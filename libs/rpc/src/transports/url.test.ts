import { describe, expect, it } from 'vitest';
import { InvalidTransportUrl } from '../errors.js';
import { parseTransportUrl, redact } from './url.js';

describe('transport URLs', () => {
  it('names in-process buses', () => {
    expect(parseTransportUrl('memory://embedded')).toMatchObject({ kind: 'memory', bus: 'embedded' });
    expect(parseTransportUrl('inprocess://a')).toMatchObject({ kind: 'memory', bus: 'a' });
    expect(parseTransportUrl('memory://')).toMatchObject({ kind: 'memory', bus: 'default' });
  });

  it('accepts amqp, amqps (TLS) and oslo rabbit URLs, never showing the password', () => {
    expect(parseTransportUrl('amqp://guest:secret@10.0.0.1:5672/nova')).toEqual({
      kind: 'amqp', connectUrl: 'amqp://guest:secret@10.0.0.1:5672/nova', tls: false, redacted: 'amqp://guest:***@10.0.0.1:5672/nova',
    });
    expect(parseTransportUrl('amqps://u:p@broker/')).toMatchObject({ tls: true });
    expect(parseTransportUrl('rabbit://guest:guest@127.0.0.1:5672/')).toMatchObject({ connectUrl: 'amqp://guest:guest@127.0.0.1:5672/' });
    expect(redact('not a url with pass://a:b@c')).toBe('not a url with pass://a:***@c');
  });

  it('refuses other schemes and garbage', () => {
    expect(() => parseTransportUrl('kafka://x')).toThrow(InvalidTransportUrl);
    expect(() => parseTransportUrl('nonsense')).toThrow(InvalidTransportUrl);
  });
});
