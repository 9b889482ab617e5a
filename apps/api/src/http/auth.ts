// Static-token authentication (X-Auth-Token): every token of the configuration maps to one
// identity. Tokens are compared through their SHA-256 digests with timingSafeEqual, so the
// time an answer takes says nothing about how much of a guess was right.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenIdentity } from '../config.js';
import { NotAuthenticated, PolicyNotAuthorized } from '../errors.js';

export interface Identity extends TokenIdentity {
  readonly is_admin: boolean;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export class TokenAuth {
  private readonly entries: { digest: Buffer; identity: Identity }[];

  constructor(tokens: Readonly<Record<string, TokenIdentity>>) {
    this.entries = Object.entries(tokens).map(([token, id]) => ({ digest: digest(token), identity: { ...id, is_admin: id.roles.includes('admin') } }));
  }

  /** The identity of the header's token; NotAuthenticated when it is missing or unknown. */
  authenticate(header: string | string[] | undefined): Identity {
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new NotAuthenticated({});
    const d = digest(token);
    let found: Identity | null = null;
    // No early exit: every entry is compared.
    for (const e of this.entries) if (timingSafeEqual(e.digest, d)) found = e.identity;
    if (!found) throw new NotAuthenticated({});
    return found;
  }
}

/** Nova's admin-only policies: the route's action name in the refusal. */
export function requireAdmin(identity: Identity, action: string): void {
  if (!identity.is_admin) throw new PolicyNotAuthorized({ action });
}
