// Every object class of this lib, registered explicitly in one place (no registration by
// import side effect of the class files). Registering installs the remotable wrappers.
import type { RegisteredClass } from '@novakit/versioned-objects';
import { Agent } from './agent.js';
import { BlockDeviceMapping, BlockDeviceMappingList } from './block-device-mapping.js';
import { ComputeNode, ComputeNodeList } from './compute-node.js';
import { FixedIP, FixedIPList } from './fixed-ip.js';
import { Flavor, FlavorList } from './flavor.js';
import { InstanceAction, InstanceActionEvent, InstanceActionEventList, InstanceActionList } from './instance-action.js';
import { InstanceFault, InstanceFaultList } from './instance-fault.js';
import { InstanceInfoCache } from './instance-info-cache.js';
import { InstanceList } from './instance-list.js';
import { Instance } from './instance.js';
import { KeyPair, KeyPairList } from './keypair.js';
import { Migration, MigrationList } from './migration.js';
import { objectRegistry } from './registry.js';
import { SecurityGroupRule, SecurityGroupRuleList } from './security-group-rule.js';
import { SecurityGroup, SecurityGroupList } from './security-group.js';
import { Service, ServiceList } from './service.js';

export const OBJECT_CLASSES: readonly RegisteredClass[] = [
  Agent,
  BlockDeviceMapping,
  BlockDeviceMappingList,
  ComputeNode,
  ComputeNodeList,
  FixedIP,
  FixedIPList,
  Flavor,
  FlavorList,
  Instance,
  InstanceAction,
  InstanceActionEvent,
  InstanceActionEventList,
  InstanceActionList,
  InstanceFault,
  InstanceFaultList,
  InstanceInfoCache,
  InstanceList,
  KeyPair,
  KeyPairList,
  Migration,
  MigrationList,
  SecurityGroup,
  SecurityGroupList,
  SecurityGroupRule,
  SecurityGroupRuleList,
  Service,
  ServiceList,
];

objectRegistry.registerAll(OBJECT_CLASSES);

/** The registry with every object of this lib registered. */
export { objectRegistry };
