/**
 * Is a directory the same storage on two hosts? Nova's answer, kept here: one side creates a
 * uniquely named probe file in it, the other side looks for that name in its own directory of
 * the same role. Same filesystem ⇔ the file is visible. Works for the whole state path
 * (live-migration checks) and for one instance directory (check_instance_shared_storage).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const PREFIX = '.shared-storage-probe-';

/** Create the probe; hand its name to the other host. */
export async function createSharedStorageProbe(dir: string): Promise<string> {
  const name = `${PREFIX}${randomUUID()}`;
  await writeFile(join(dir, name), '', { flag: 'wx' });
  return name;
}

/** On the other host: is the probe visible in this host's directory? */
export function checkSharedStorageProbe(dir: string, name: string): boolean {
  // Only our own probe names, so a caller cannot ask about arbitrary paths.
  if (basename(name) !== name || !name.startsWith(PREFIX)) return false;
  return existsSync(join(dir, name));
}

export async function removeSharedStorageProbe(dir: string, name: string): Promise<void> {
  if (basename(name) !== name || !name.startsWith(PREFIX)) return;
  await rm(join(dir, name), { force: true });
}
