// Contender loops for the concurrency tests, run either in-process (each contender with
// its own connection pool) or in child processes on one SQLite file.
import { UnexpectedTaskStateError, type DbApi } from '../../src/index.js';

/**
 * Races to move task_state "n" → "n+1" until it reaches `target`. Every transition is
 * attempted by every contender; the ones this contender won are returned. With an
 * atomic compare-and-write, each n is won exactly once across all contenders.
 */
export async function raceTransitions(api: DbApi, uuid: string, target: number): Promise<number[]> {
  const won: number[] = [];
  for (;;) {
    const current = Number((await api.instance_get_by_uuid({}, uuid, { columnsToJoin: [] })).task_state);
    if (current >= target) return won;
    try {
      await api.instance_save({}, uuid, { task_state: String(current + 1) }, { expectedTaskState: String(current) });
      won.push(current);
    } catch (err) {
      if (!(err instanceof UnexpectedTaskStateError)) throw err;
    }
  }
}

/** Writes only its own field, `count` times. */
export async function saveOwnField(api: DbApi, uuid: string, field: 'display_name' | 'hostname' | 'os_type' | 'architecture', label: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await api.instance_save({}, uuid, { [field]: `${label}-${i}` });
}

export async function heartbeat(api: DbApi, serviceId: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await api.service_report({}, serviceId);
}
