import { Instance } from '@novakit/objects';
import type { LegacyInstanceDict } from './legacy.js';

/** The flavor-level facts a driver reads of an instance, alike from an Instance object and a release-1 legacy dict. */
export interface InstanceFacts {
  readonly uuid: string;
  readonly name: string;
  readonly vcpus: number;
  readonly memoryMb: number;
  readonly rootGb: number;
  readonly ephemeralGb: number;
}

/** A field of either form of an instance; null when unset (an Instance) or absent (a dict). */
export function instanceField(instance: Instance | LegacyInstanceDict, key: string): unknown {
  if (instance instanceof Instance) return instance.obj_attr_is_set(key) ? instance.obj_get(key) : null;
  return (instance as unknown as Record<string, unknown>)[key] ?? null;
}

export function instanceFacts(instance: Instance | LegacyInstanceDict): InstanceFacts {
  const num = (key: string) => Number(instanceField(instance, key) ?? 0) || 0;
  return {
    uuid: instance.uuid,
    name: instance.name,
    vcpus: Math.max(1, num('vcpus')),
    memoryMb: num('memory_mb'),
    rootGb: num('root_gb'),
    ephemeralGb: num('ephemeral_gb'),
  };
}
