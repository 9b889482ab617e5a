/**
 * get_console_output: the tail of the serial log. Bounded like Nova's libvirt driver (100 KiB),
 * because a guest can write to its console without limit.
 */
import { open } from 'node:fs/promises';

export const MAX_CONSOLE_BYTES = 100 * 1024;

export async function readConsoleTail(path: string, maxBytes = MAX_CONSOLE_BYTES): Promise<string> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return '';
  }
  try {
    const { size } = await file.stat();
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    await file.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await file.close();
  }
}
