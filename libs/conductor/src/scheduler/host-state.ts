// What the scheduler knows of a host: its compute node's resources joined with its compute
// service's state, read from ComputeNode and Service objects (locally, on the conductor).
import { ComputeNodeList, ServiceList, type ComputeNode, type RequestContext, type Service } from '@novakit/objects';

/** The topic compute services register under. */
export const COMPUTE_TOPIC = 'compute';

export interface ServiceState {
  readonly id: number;
  readonly disabled: boolean;
  readonly disabledReason: string | null;
  readonly forcedDown: boolean;
  /** The last heartbeat (or the record's last update when it never reported). */
  readonly lastSeen: Date | null;
  readonly version: number;
}

export interface HostState {
  readonly host: string;
  readonly nodename: string | null;
  /** Null when the node has no compute service record. */
  readonly service: ServiceState | null;
  readonly hypervisorType: string | null;
  readonly hypervisorVersion: number;
  readonly totalRamMb: number;
  freeRamMb: number;
  readonly totalDiskGb: number;
  freeDiskGb: number;
  readonly vcpusTotal: number;
  vcpusUsed: number;
  /** Instances placed on this host by the current request (consumed below). */
  instancesPlaced: number;
}

/** The resources one instance asks for (its flavor). */
export interface ResourceRequest {
  readonly memory_mb: number;
  readonly vcpus: number;
  readonly root_gb: number;
  readonly ephemeral_gb: number;
}

const has = (obj: ComputeNode | Service, field: string): boolean => obj.obj_attr_is_set(field);

function serviceState(s: Service): ServiceState {
  return {
    id: s.id,
    disabled: s.disabled,
    disabledReason: s.disabled_reason,
    forcedDown: s.forced_down,
    lastSeen: s.last_seen_up ?? (has(s, 'updated_at') ? s.updated_at : null) ?? (has(s, 'created_at') ? s.created_at : null),
    version: s.version,
  };
}

export function hostStateOf(node: ComputeNode, service: Service | undefined): HostState {
  return {
    host: node.host ?? '',
    nodename: node.hypervisor_hostname,
    service: service ? serviceState(service) : null,
    hypervisorType: node.hypervisor_type,
    hypervisorVersion: node.hypervisor_version,
    totalRamMb: node.memory_mb,
    freeRamMb: node.free_ram_mb ?? node.memory_mb - node.memory_mb_used,
    totalDiskGb: node.local_gb,
    freeDiskGb: node.free_disk_gb ?? node.local_gb - node.local_gb_used,
    vcpusTotal: node.vcpus,
    vcpusUsed: node.vcpus_used,
    instancesPlaced: 0,
  };
}

/** Every compute node with its service (matched by service_id, else by host). */
export async function loadHostStates(ctx: RequestContext): Promise<HostState[]> {
  const [nodes, services] = await Promise.all([ComputeNodeList.getAll(ctx), ServiceList.getByTopic(ctx, COMPUTE_TOPIC)]);
  const byId = new Map(services.objects.map((s) => [s.id, s]));
  const byHost = new Map(services.objects.map((s) => [s.host, s]));
  return nodes.objects.map((n) => hostStateOf(n, (n.service_id != null ? byId.get(n.service_id) : undefined) ?? byHost.get(n.host)));
}

/** Account for an instance placed on the host, so the next instance of the request sees less. */
export function consume(state: HostState, req: ResourceRequest): void {
  state.freeRamMb -= req.memory_mb;
  state.freeDiskGb -= req.root_gb + req.ephemeral_gb;
  state.vcpusUsed += req.vcpus;
  state.instancesPlaced += 1;
}
