/**
 * The part of a stream socket the QMP client uses. `net.Socket` satisfies it; tests and the
 * fake server can hand in anything else that does (style rule: depend on the subset you use).
 */
import { connect } from 'node:net';
import { QmpConnectFailed } from '../errors.js';

export interface QmpSocket {
  write(data: string): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  destroy(): void;
}

/** Longest path a Unix socket address can carry on Linux (sun_path is 108 bytes with the NUL). */
export const MAX_UNIX_SOCKET_PATH = 107;

/**
 * Connect to a Unix socket once. A missing file or nobody listening rejects with
 * QmpConnectFailed; the caller decides whether to retry (QEMU needs ~0.2 s to open it).
 */
export function connectUnixSocket(path: string, timeoutMs = 2000): Promise<QmpSocket> {
  if (Buffer.byteLength(path) > MAX_UNIX_SOCKET_PATH) {
    return Promise.reject(new QmpConnectFailed({ path, reason: `path longer than ${MAX_UNIX_SOCKET_PATH} bytes` }));
  }
  return new Promise((resolve, reject) => {
    const sock = connect({ path });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new QmpConnectFailed({ path, reason: `no connection within ${timeoutMs} ms` }));
    }, timeoutMs);
    const onError = (err: Error) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new QmpConnectFailed({ path, reason: (err as NodeJS.ErrnoException).code ?? err.message }, err));
    };
    sock.once('error', onError);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      // A socket error is always followed by 'close', which the client handles. Keep one
      // listener for the gap until the client attaches, since an unhandled 'error' (e.g.
      // ECONNRESET after `quit`) would crash the process.
      sock.on('error', () => {});
      sock.setEncoding('utf8');
      resolve(sock);
    });
  });
}
