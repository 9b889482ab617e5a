import { PERSISTENT_COLUMNS, tableModel, type PersistentFields } from '../model/columns.js';

export interface SecurityGroupRow extends PersistentFields {
  id: number;
  name: string | null;
  description: string | null;
  user_id: string | null;
  project_id: string | null;
}

export interface SecurityGroupRuleColumns extends PersistentFields {
  id: number;
  parent_group_id: number;
  protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  cidr: string | null;
  /** The grantee group (traffic from members of that group), or null for a CIDR rule. */
  group_id: number | null;
}

/** A rule with its groups joined, as SecurityGroupRule's `parent_group` / `grantee_group`. */
export interface SecurityGroupRuleRow extends SecurityGroupRuleColumns {
  parent_group: SecurityGroupRow | null;
  grantee_group: SecurityGroupRow | null;
}

export interface ProviderFwRuleRow extends PersistentFields {
  id: number;
  protocol: string | null;
  from_port: number | null;
  to_port: number | null;
  cidr: string | null;
}

export const SECURITY_GROUP = tableModel<SecurityGroupRow>('security_groups', 'id', {
  id: 'int', name: 'str', description: 'str', user_id: 'str', project_id: 'str', ...PERSISTENT_COLUMNS,
});

export const SECURITY_GROUP_RULE = tableModel<SecurityGroupRuleColumns>('security_group_rules', 'id', {
  id: 'int', parent_group_id: 'int', protocol: 'str', from_port: 'int', to_port: 'int', cidr: 'str', group_id: 'int', ...PERSISTENT_COLUMNS,
});

export const PROVIDER_FW_RULE = tableModel<ProviderFwRuleRow>('provider_fw_rules', 'id', {
  id: 'int', protocol: 'str', from_port: 'int', to_port: 'int', cidr: 'str', ...PERSISTENT_COLUMNS,
});
