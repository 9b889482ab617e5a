// Operators type names; the API wants ids. A UUID is taken as is; a name must match exactly one.
import { CliError, ExitCode } from '../exit-codes.js';
import type { ApiClient } from '../client/api-client.js';
import { UUID_RE } from './context.js';

function one<T extends { id: string | number }>(kind: string, ref: string, matches: T[]): T['id'] {
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw new CliError(`no ${kind} named ${ref}`, ExitCode.NOT_FOUND);
  throw new CliError(`${matches.length} ${kind}s are named ${ref}: use the id`, ExitCode.INVALID);
}

export async function serverId(client: ApiClient, ref: string): Promise<string> {
  if (UUID_RE.test(ref)) return ref;
  const { servers } = await client.get<{ servers: { id: string; name: string }[] }>(`/v2.1/servers?name=${encodeURIComponent(ref)}`);
  return one('server', ref, servers.filter((s) => s.name === ref)) as string;
}

export async function volumeId(client: ApiClient, ref: string): Promise<string> {
  if (UUID_RE.test(ref)) return ref;
  const { volumes } = await client.get<{ volumes: { id: string; displayName: string | null }[] }>('/v2.1/os-volumes');
  return one('volume', ref, volumes.filter((v) => v.displayName === ref)) as string;
}

/** A flavor id, or the id of the flavor with that name. */
export async function flavorId(client: ApiClient, ref: string): Promise<string> {
  const { flavors } = await client.get<{ flavors: { id: string; name: string }[] }>('/v2.1/flavors');
  if (flavors.some((f) => f.id === ref)) return ref;
  return one('flavor', ref, flavors.filter((f) => f.name === ref)) as string;
}

export async function securityGroupId(client: ApiClient, ref: string): Promise<number> {
  if (/^\d+$/.test(ref)) return Number(ref);
  const { security_groups } = await client.get<{ security_groups: { id: number; name: string }[] }>('/v2.1/os-security-groups');
  return one('security group', ref, security_groups.filter((g) => g.name === ref)) as number;
}
