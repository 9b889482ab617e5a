/**
 * Free TCP ports on `host` for the NBD server (its QMP command cannot report a port 0 choice) and,
 * when the operator confines migration traffic to a range (libvirt's migration_port_min/max),
 * for the migration stream too.
 */
import { createServer } from 'node:net';

/** Inclusive bounds. */
export interface PortRange {
  min: number;
  max: number;
}

function tryListen(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A port that was free a moment ago: any (the kernel's choice) without a range, else the first
 * free one of the range not in `exclude`. Undefined when the whole range is taken.
 */
export async function findFreePort(host: string, range?: PortRange, exclude: readonly number[] = []): Promise<number | undefined> {
  if (!range) return tryListen(host, 0);
  for (let port = range.min; port <= range.max; port++) {
    if (exclude.includes(port)) continue;
    if ((await tryListen(host, port)) !== undefined) return port;
  }
  return undefined;
}
