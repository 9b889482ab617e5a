/**
 * What the manager needs from the conductor besides object methods: the legacy raw methods
 * release 1 still calls (Nova Icehouse's conductor API as compute used it), picked from the
 * conductor contract where each is tagged `@legacy`, so the migration tracker counts every
 * call. Converting a work item removes its calls from the manager's `legacy/` folder.
 */
import type { ConductorLegacyApi as ConductorLegacyContract } from '@novakit/conductor-api';
import type { IndirectionApi } from '@novakit/versioned-objects';

/** A row as the conductor's raw methods return it: a plain dict. */
export type RawRow = Readonly<Record<string, unknown>>;

export type ConductorLegacyApi = Pick<
  ConductorLegacyContract,
  | 'instance_update'
  | 'instance_update_and_get_original'
  | 'block_device_mapping_get_all_by_instance'
  | 'security_group_get_by_instance'
  | 'security_group_rule_get_by_security_group'
  | 'provider_fw_rule_get_all'
  | 'service_get_by_compute_host'
>;

/** The conductor as a compute sees it: the indirection API objects use, plus the legacy raw methods. */
export type ComputeConductor = IndirectionApi & ConductorLegacyApi;
