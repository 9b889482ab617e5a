/**
 * @novakit/compute-api — the compute RPC contract: its version history and release aliases,
 * the methods with their argument schemas, the client (`compute.<host>`) and the endpoint
 * factory a compute manager serves. Instances travel as versioned objects.
 *
 * ```ts
 * const compute = new ComputeRpcClient(transport, {
 *   serializer: new NovaObjectSerializer({ indirection }),
 *   versionCap: COMPUTE_RPC_API.versionCap(config.upgradeLevels.compute, minComputeRpcVersion),
 * });
 * await compute.rebootInstance(ctx, instance, 'SOFT');            // cast to compute.<instance.host>
 * const server = new RpcServer(transport, { topic: COMPUTE_TOPIC, server: host }, [createComputeEndpoint(manager)], { serializer });
 * ```
 */
export { COMPUTE_RPC_API, COMPUTE_SERVICE_VERSIONS, COMPUTE_TOPIC, computeRpcVersionForService } from './history.js';
export type { ComputeRpcVersion } from './history.js';
export { COMPUTE_METHODS, ImageMetaSchema, RequestedNetworkSchema } from './methods.js';
export type { ComputeArgs, ComputeCallArgs, ComputeMethodName, MethodSpec, WireImageMeta } from './methods.js';
export { ComputeRpcClient } from './client.js';
export type { ComputeRpcClientOptions } from './client.js';
export { createComputeEndpoint } from './endpoint.js';
export type { ComputeRpcHandlers } from './endpoint.js';
export { COMPUTE_API_ERRORS, ComputeShuttingDown, ComputeTooOld, InstanceIsLocked, InstanceNotOnHost, computeErrorRegistry } from './errors.js';
