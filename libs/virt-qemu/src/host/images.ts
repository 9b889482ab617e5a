/**
 * Disk images through `qemu-img`: a qcow2 overlay on a base image, or a blank qcow2 of the
 * flavor's size, and `info`. Always `info -U` (force-share): a running QEMU holds a write lock
 * on its images and a plain `qemu-img info` would fail on them.
 */
import { z } from 'zod';
import { HostCommandFailed } from '../errors.js';
import { runCommand } from './run-command.js';

export interface ImageInfo {
  format: string;
  virtualSizeBytes: number;
  actualSizeBytes: number | undefined;
  backingFile: string | undefined;
}

export interface CreateImageOptions {
  /** Virtual size; with a backing image it may only grow it. */
  sizeBytes?: number;
  backing?: { path: string; format?: string };
}

/** The image operations the building blocks use (faked in ./testing). */
export interface ImageTool {
  createQcow2(path: string, options: CreateImageOptions): Promise<void>;
  info(path: string): Promise<ImageInfo>;
}

const InfoSchema = z.looseObject({
  format: z.string(),
  'virtual-size': z.number(),
  'actual-size': z.number().optional(),
  'backing-filename': z.string().optional(),
});

export class QemuImg implements ImageTool {
  constructor(readonly binary = 'qemu-img') {}

  async createQcow2(path: string, options: CreateImageOptions): Promise<void> {
    const args = ['create', '-q', '-f', 'qcow2'];
    if (options.backing) {
      const format = options.backing.format ?? (await this.info(options.backing.path)).format;
      args.push('-F', format, '-b', options.backing.path);
    } else if (options.sizeBytes === undefined) {
      throw new HostCommandFailed({ command: `${this.binary} create ${path}`, exitCode: null, stderr: 'a blank image needs a size' });
    }
    args.push(path);
    if (options.sizeBytes !== undefined) args.push(String(options.sizeBytes));
    await runCommand(this.binary, args);
  }

  async info(path: string): Promise<ImageInfo> {
    const { stdout } = await runCommand(this.binary, ['info', '-U', '--output=json', path]);
    const parsed = InfoSchema.safeParse(JSON.parse(stdout));
    if (!parsed.success) {
      throw new HostCommandFailed({ command: `${this.binary} info ${path}`, exitCode: 0, stderr: `unexpected output: ${parsed.error.message}` });
    }
    return {
      format: parsed.data.format,
      virtualSizeBytes: parsed.data['virtual-size'],
      actualSizeBytes: parsed.data['actual-size'],
      backingFile: parsed.data['backing-filename'],
    };
  }
}
