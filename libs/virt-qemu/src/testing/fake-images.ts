/** A fake qemu-img: an "image" is a small JSON file describing itself. */
import { readFile, writeFile } from 'node:fs/promises';
import type { CreateImageOptions, ImageInfo, ImageTool } from '../host/images.js';

export class FakeImageTool implements ImageTool {
  async createQcow2(path: string, options: CreateImageOptions): Promise<void> {
    const base = options.backing ? await this.info(options.backing.path).catch(() => undefined) : undefined;
    const size = options.sizeBytes ?? base?.virtualSizeBytes ?? 1 << 30;
    const info: ImageInfo = { format: 'qcow2', virtualSizeBytes: size, actualSizeBytes: 196_608, backingFile: options.backing?.path };
    await writeFile(path, JSON.stringify(info));
  }

  async info(path: string): Promise<ImageInfo> {
    return JSON.parse(await readFile(path, 'utf8')) as ImageInfo;
  }
}
