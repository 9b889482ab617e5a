// The object family of anchors/python/ovo_bench.py, field for field: Instance 1.3 (60 fields,
// 4 versions) with InstanceInfoCache, Flavor 1.1 and a list of BlockDeviceMapping.
import { f, objectBase, ObjectRegistry, type FieldDefs, type VersionedObject } from '../src/index.js';

export const registry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });

const persistent = {
  created_at: f.dateTime().nullable(),
  updated_at: f.dateTime().nullable(),
  deleted_at: f.dateTime().nullable(),
  deleted: f.boolean().default(false),
};
const s = () => f.string().nullable();
const i = () => f.integer().nullable();

export class InstanceInfoCache extends objectBase({
  registry,
  name: 'InstanceInfoCache',
  version: '1.0',
  history: { '1.0': 'Initial version' },
  fields: { instance_uuid: f.uuid(), network_info: s(), ...persistent },
}) {}

export class Flavor extends objectBase({
  registry,
  name: 'Flavor',
  version: '1.1',
  history: { '1.0': 'Initial version', '1.1': 'Added description' },
  fields: {
    id: f.integer(),
    name: s(),
    memory_mb: f.integer(),
    vcpus: f.integer(),
    root_gb: f.integer(),
    ephemeral_gb: f.integer(),
    flavorid: f.string(),
    swap: f.integer(),
    rxtx_factor: f.float().nullable().default(1.0),
    vcpu_weight: i(),
    disabled: f.boolean(),
    is_public: f.boolean(),
    extra_specs: f.dict(f.string()),
    description: s().since('1.1'),
    ...persistent,
  },
}) {}

export class BlockDeviceMapping extends objectBase({
  registry,
  name: 'BlockDeviceMapping',
  version: '1.0',
  history: { '1.0': 'Initial version' },
  fields: {
    id: f.integer(),
    uuid: f.uuid(),
    instance_uuid: f.uuid(),
    source_type: f.enum(['image', 'volume', 'snapshot', 'blank']),
    destination_type: f.enum(['local', 'volume']).nullable(),
    guest_format: s(),
    device_type: s(),
    disk_bus: s(),
    boot_index: i(),
    device_name: s(),
    delete_on_termination: f.boolean().default(false),
    snapshot_id: s(),
    volume_id: s(),
    volume_size: i(),
    image_id: s(),
    no_device: f.boolean().default(false),
    connection_info: f.sensitiveString().nullable(),
    tag: s(),
    attachment_id: f.uuid().nullable(),
    volume_type: s(),
    ...persistent,
  },
}) {}

const instanceFields = {
  id: f.integer(),
  uuid: f.uuid(),
  user_id: s(),
  project_id: s(),
  image_ref: s(),
  kernel_id: s(),
  ramdisk_id: s(),
  hostname: s(),
  launch_index: i(),
  key_name: s(),
  key_data: s(),
  power_state: i(),
  vm_state: s(),
  task_state: s(),
  memory_mb: i(),
  vcpus: i(),
  root_gb: i(),
  ephemeral_gb: i(),
  ephemeral_key_uuid: f.uuid().nullable(),
  host: s(),
  node: s(),
  instance_type_id: i(),
  user_data: s(),
  reservation_id: s(),
  launched_at: f.dateTime().nullable(),
  terminated_at: f.dateTime().nullable(),
  availability_zone: s(),
  display_name: s(),
  display_description: s(),
  launched_on: s(),
  locked: f.boolean().default(false),
  locked_by: s(),
  os_type: s(),
  architecture: s(),
  vm_mode: s(),
  root_device_name: s(),
  default_ephemeral_device: s(),
  default_swap_device: s(),
  config_drive: s(),
  access_ip_v4: f.ipv4Address().nullable(),
  access_ip_v6: f.ipv6Address().nullable(),
  auto_disk_config: f.boolean().default(false),
  progress: i(),
  shutdown_terminate: f.boolean().default(false),
  disable_terminate: f.boolean().default(false),
  cell_name: s(),
  metadata: f.dict(f.string()),
  system_metadata: f.dict(f.string().nullable()),
  info_cache: f.object(InstanceInfoCache).nullable(),
  cleaned: f.boolean().default(false),
  flavor: f.object(Flavor),
  old_flavor: f.object(Flavor).nullable(),
  new_flavor: f.object(Flavor).nullable(),
  hidden: f.boolean().default(false).since('1.1'),
  tags: f.list(f.string()).since('1.2'),
  block_device_mapping: f.listOfObjects(BlockDeviceMapping).since('1.3'),
  ...persistent,
} satisfies FieldDefs;

const flavorRel = [['1.0', '1.0'], ['1.2', '1.1']] as const;

export class Instance extends objectBase({
  registry,
  name: 'Instance',
  version: '1.3',
  history: { '1.0': 'Initial version', '1.1': 'Added hidden', '1.2': 'Added tags; Flavor 1.1', '1.3': 'Added block_device_mapping' },
  fields: instanceFields,
  relationships: { info_cache: [['1.0', '1.0']], flavor: flavorRel, old_flavor: flavorRel, new_flavor: flavorRel, block_device_mapping: [['1.3', '1.0']] },
}) {}

registry.registerAll([InstanceInfoCache, Flavor, BlockDeviceMapping, Instance]);

const CHILD: Record<string, new (v: any) => VersionedObject> = { info_cache: InstanceInfoCache, flavor: Flavor, old_flavor: Flavor, new_flavor: Flavor };

/** ovo_bench.py's build_instance: children built from their dicts, then the instance, then a recursive reset. */
export function buildInstance(data: Record<string, any>, reset = true): Instance {
  const values: Record<string, any> = { ...data };
  for (const key of Object.keys(CHILD)) if (key in data) values[key] = data[key] === null ? null : new CHILD[key]!(data[key]);
  if ('block_device_mapping' in data) values.block_device_mapping = (data.block_device_mapping as any[]).map((b) => new BlockDeviceMapping(b));
  const inst = new Instance(values as any);
  if (reset) inst.obj_reset_changes(null, true);
  return inst;
}
