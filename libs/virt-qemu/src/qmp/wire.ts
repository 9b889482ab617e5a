/**
 * The QMP wire messages (QEMU's docs/interop/qmp-spec): one JSON object per line, either the
 * greeting, a command's success or error reply, or an asynchronous event. Validated with zod
 * so that anything else becomes a QmpProtocolError instead of a property access on garbage.
 */
import { z } from 'zod';

export const QmpGreetingSchema = z.looseObject({
  QMP: z.looseObject({
    version: z.looseObject({
      qemu: z.looseObject({ major: z.number(), minor: z.number(), micro: z.number() }),
      package: z.string(),
    }),
    capabilities: z.array(z.string()),
  }),
});
export type QmpGreeting = z.infer<typeof QmpGreetingSchema>;

/** Ids are ours (strings); QEMU echoes them verbatim. */
const Id = z.union([z.string(), z.number()]);

export const QmpSuccessSchema = z.looseObject({ return: z.unknown(), id: Id.optional() });
export const QmpErrorSchema = z.looseObject({
  error: z.looseObject({ class: z.string(), desc: z.string() }),
  id: Id.optional(),
});
export const QmpEventSchema = z.looseObject({
  event: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  timestamp: z.looseObject({ seconds: z.number(), microseconds: z.number() }),
});
export type QmpEvent = z.infer<typeof QmpEventSchema>;

export type QmpMessage =
  | { kind: 'success'; id: string | number | undefined; value: unknown }
  | { kind: 'error'; id: string | number | undefined; errorClass: string; desc: string }
  | { kind: 'event'; event: QmpEvent };

/** Classify one decoded line; `undefined` means it is none of the three message kinds. */
export function classifyMessage(value: unknown): QmpMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('return' in value) {
    const ok = QmpSuccessSchema.safeParse(value);
    return ok.success ? { kind: 'success', id: ok.data.id, value: ok.data.return } : undefined;
  }
  if ('error' in value) {
    const err = QmpErrorSchema.safeParse(value);
    if (!err.success) return undefined;
    return { kind: 'error', id: err.data.id, errorClass: err.data.error.class, desc: err.data.error.desc };
  }
  if ('event' in value) {
    const ev = QmpEventSchema.safeParse(value);
    return ev.success ? { kind: 'event', event: ev.data } : undefined;
  }
  return undefined;
}

/** Splits a byte stream into lines; QEMU ends each message with "\r\n". */
export class LineSplitter {
  private buffer = '';
  push(chunk: string): string[] {
    this.buffer += chunk;
    const parts = this.buffer.split('\n');
    this.buffer = parts.pop() ?? '';
    return parts.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  }
}
