// A lock file beside the volume records, so two API processes on one data directory never
// interleave read-modify-write cycles. Created with O_EXCL (atomic on local filesystems); a
// lock whose holder process is gone, or that is older than STALE_MS, is broken.
import { open, readFile, rm } from 'node:fs/promises';
import { VolumeStoreUnavailable } from '../errors.js';

const STALE_MS = 30_000;
const WAIT_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakIfStale(path: string): Promise<void> {
  try {
    const [pid, since] = (await readFile(path, 'utf8')).split(' ').map(Number);
    if ((pid && !alive(pid!)) || (since && Date.now() - since! > STALE_MS)) await rm(path, { force: true });
  } catch {
    // Gone meanwhile, or half written: the next attempt sees.
  }
}

/** Runs `fn` holding the lock file `path`. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid} ${Date.now()}`);
      await handle.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new VolumeStoreUnavailable({ reason: `cannot create ${path}: ${(e as Error).message}` });
      if (Date.now() > deadline) throw new VolumeStoreUnavailable({ reason: `${path} is held by another process` });
      await breakIfStale(path);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
