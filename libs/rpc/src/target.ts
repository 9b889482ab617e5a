/**
 * oslo's Target: where a client sends (topic, optionally one server, or fanout) and what
 * an endpoint serves (namespace, version). `exchange` overrides the transport's control
 * exchange for topic traffic.
 */
export interface Target {
  topic?: string;
  server?: string;
  namespace?: string | null;
  version?: string;
  fanout?: boolean;
  exchange?: string;
  /** Namespaces an endpoint accepts besides its own (oslo's `legacy_namespaces`). */
  legacyNamespaces?: (string | null)[];
}

const SHOWN: (keyof Target)[] = ['exchange', 'topic', 'namespace', 'version', 'server', 'fanout'];

/** `<Target topic=t, server=s>`, as oslo prints a target in InvalidTarget. */
export function formatTarget(t: Target): string {
  const parts = SHOWN.filter((k) => t[k] != null && t[k] !== false).map((k) => `${k}=${String(t[k])}`);
  return `<Target ${parts.join(', ')}>`;
}
