// The volume records: one JSON file, read and rewritten whole under a lock (a file lock across
// processes, a promise chain within this one) and replaced by rename, so a reader never sees
// a half-written file. There is no Volume object in @novakit/objects, hence no conductor path:
// the stand-in block storage keeps its own small state, as Cinder keeps its own database.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VolumeStoreUnavailable } from '../errors.js';
import { withFileLock } from './file-lock.js';

export const VOLUME_STATUSES = ['creating', 'available', 'attaching', 'deleting', 'error'] as const;

export const VolumeRecordSchema = z.strictObject({
  id: z.string(),
  project_id: z.string(),
  user_id: z.string().nullable(),
  display_name: z.string().nullable(),
  display_description: z.string().nullable(),
  size: z.number().int().positive(),
  /** Stored status; `in-use` is never stored: it is read from the block device mappings. */
  status: z.enum(VOLUME_STATUSES),
  path: z.string(),
  metadata: z.record(z.string(), z.string()),
  created_at: z.string(),
  /** While `attaching`: the server it is being attached to. */
  reserved_for: z.string().nullable(),
});
export type VolumeRecord = z.output<typeof VolumeRecordSchema>;

const FileSchema = z.strictObject({ version: z.literal(1), volumes: z.record(z.string(), VolumeRecordSchema) });
type VolumeFile = z.output<typeof FileSchema>;

export class VolumeStore {
  private readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    this.file = join(dir, 'volumes.json');
  }

  private async read(): Promise<VolumeFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, volumes: {} };
      throw new VolumeStoreUnavailable({ reason: `cannot read ${this.file}: ${(e as Error).message}` });
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new VolumeStoreUnavailable({ reason: `${this.file} is not JSON (${(e as Error).message})` });
    }
    const parsed = FileSchema.safeParse(raw);
    if (!parsed.success) throw new VolumeStoreUnavailable({ reason: `${this.file} is not a volume file (${parsed.error.issues[0]?.message})` });
    // Records keyed by id; a map without a prototype so no id can shadow anything.
    return { version: 1, volumes: Object.assign(Object.create(null) as Record<string, VolumeRecord>, parsed.data.volumes) };
  }

  async list(): Promise<VolumeRecord[]> {
    return Object.values((await this.read()).volumes).sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<VolumeRecord | null> {
    return (await this.read()).volumes[id] ?? null;
  }

  /** Read, change and write the records as one step; `fn`'s result is returned. */
  update<T>(fn: (volumes: Record<string, VolumeRecord>) => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      await mkdir(this.dir, { recursive: true });
      return withFileLock(`${this.file}.lock`, async () => {
        const state = await this.read();
        const result = await fn(state.volumes);
        const tmp = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
        await writeFile(tmp, JSON.stringify({ version: 1, volumes: state.volumes }, null, 1));
        await rename(tmp, this.file);
        return result;
      });
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
