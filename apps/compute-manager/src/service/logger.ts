import { pino, type Logger } from 'pino';

/** The service's pino logger: JSON lines on stderr, every line with the host; operations add request_id. */
export function createLogger(host: string, level: string): Logger {
  return pino({ name: 'compute-manager', level, base: { host } }, pino.destination(2));
}
