import { type Logger, pino } from 'pino';

let fallback: Logger | undefined;

/** The logger used when none is given: pino, `novakit-rpc`, level from NOVAKIT_LOG_LEVEL (info). */
export function defaultLogger(): Logger {
  fallback ??= pino({ name: 'novakit-rpc', level: process.env.NOVAKIT_LOG_LEVEL ?? 'info' });
  return fallback;
}
