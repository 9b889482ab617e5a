import { PERSISTENT_COLUMNS, tableModel, type PersistentFields } from '../model/columns.js';

export interface InstanceFaultRow extends PersistentFields {
  id: number;
  instance_uuid: string;
  code: number;
  message: string | null;
  details: string | null;
  host: string | null;
}

export const INSTANCE_FAULT = tableModel<InstanceFaultRow>('instance_faults', 'id', {
  id: 'int', instance_uuid: 'str', code: 'int', message: 'str', details: 'str', host: 'str', ...PERSISTENT_COLUMNS,
});
