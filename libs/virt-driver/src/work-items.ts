/**
 * The 25 work items of the objects migration (Nova's virt-objects-juno spec), each with the
 * contract method it maps to. The migration tracker reads this table from the source.
 */
export const WORK_ITEMS = [
  { name: 'attach_volume', method: 'attachVolume' },
  { name: 'check_can_live_migrate_destination', method: 'checkCanLiveMigrateDestination' },
  { name: 'check_can_live_migrate_source', method: 'checkCanLiveMigrateSource' },
  { name: 'check_instance_shared_storage_local', method: 'checkInstanceSharedStorageLocal' },
  { name: 'cleanup', method: 'cleanup' },
  { name: 'default_device_names_for_instance', method: 'defaultDeviceNamesForInstance' },
  { name: 'default_root_device_name', method: 'defaultRootDeviceName' },
  { name: 'destroy', method: 'destroy' },
  { name: 'detach_volume', method: 'detachVolume' },
  { name: 'dhcp_options_for_instance', method: 'dhcpOptionsForInstance' },
  { name: 'ensure_filtering_rules_for_instance', method: 'ensureFilteringRulesForInstance' },
  { name: 'get_diagnostics', method: 'getDiagnostics' },
  { name: 'get_info', method: 'getInfo' },
  { name: 'get_volume_connector', method: 'getVolumeConnector' },
  { name: 'inject_file', method: 'injectFile' },
  { name: 'inject_network_info', method: 'injectNetworkInfo' },
  { name: 'live_migration', method: 'liveMigration' },
  { name: 'macs_for_instance', method: 'macsForInstance' },
  { name: 'post_live_migration', method: 'postLiveMigration' },
  { name: 'pre_live_migration', method: 'preLiveMigration' },
  { name: 'refresh_instance_security_rules', method: 'refreshInstanceSecurityRules' },
  { name: 'reset_network', method: 'resetNetwork' },
  { name: 'rollback_live_migration_at_destination', method: 'rollbackLiveMigrationAtDestination' },
  { name: 'unfilter_instance', method: 'unfilterInstance' },
  { name: 'unplug_vifs', method: 'unplugVifs' },
] as const;

export type WorkItem = (typeof WORK_ITEMS)[number];
export type WorkItemName = WorkItem['name'];
export type WorkItemMethod = WorkItem['method'];
