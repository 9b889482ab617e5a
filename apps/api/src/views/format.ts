// Small formatting rules every view shares.
import { createHash } from 'node:crypto';

/** Nova's response timestamps: ISO 8601 UTC, no fractions. */
export function isoTime(d: Date | null | undefined): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** Nova's hostId: an opaque per-project hash of the host, so tenants can tell co-location without learning host names. */
export function hostIdOf(projectId: string | null, host: string | null): string {
  if (!host) return '';
  return createHash('sha224').update(`${projectId ?? ''}${host}`).digest('hex');
}

export interface Links {
  /** `http(s)://host:port` of the request, for self and bookmark links. */
  readonly base: string;
}

export function links(l: Links, collection: string, id: string | number): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${l.base}/v2.1/${collection}/${id}` },
    { rel: 'bookmark', href: `${l.base}/${collection}/${id}` },
  ];
}
