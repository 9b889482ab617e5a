import { PERSISTENT_COLUMNS, tableModel, type PersistentFields } from '../model/columns.js';

/** `network_info` is the parsed JSON (a list of VIF dicts) or null; stored as JSON text. */
export interface InstanceInfoCacheRow extends PersistentFields {
  id: number;
  instance_uuid: string;
  network_info: unknown;
}

export const INFO_CACHE = tableModel<InstanceInfoCacheRow>('instance_info_caches', 'id', {
  id: 'int', instance_uuid: 'str', network_info: 'json', ...PERSISTENT_COLUMNS,
});
