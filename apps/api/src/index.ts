/**
 * @novakit/api — the HTTP API: a subset of Nova's compute API v2.1 (servers and their actions,
 * volume attachments, diagnostics, console output, flavors, services, hypervisors, instance
 * actions, security groups) plus a file-backed volume stand-in (`/v2.1/os-volumes`). Every
 * request and response has a zod schema; data is reached only through objects (on the
 * conductor) and compute work only through the compute RPC and compute_task.
 *
 * ```ts
 * const api = await startApi({
 *   config: { listen: { port: 8774 }, auth: { tokens: { [token]: { project_id: 'admin', user_id: 'admin' } } }, volumes: { dataDir } },
 *   transport,                                  // shared in the all-in-one
 * });
 * console.log(api.url);                          // http://127.0.0.1:8774
 * await api.close();
 * ```
 */
export { startApi } from './start.js';
export type { ApiHandle, StartApiOptions } from './start.js';
export { ApiConfigSchema, parseApiConfig, TokenIdentitySchema } from './config.js';
export type { ApiConfig, ApiConfigInput, TokenIdentity } from './config.js';
export { REQUEST_ID_HEADER } from './app.js';
export { statusOf } from './compute/states.js';
export { VolumeService } from './volumes/service.js';
export type { FileConnectionInfo, Volume, VolumeCreate } from './volumes/service.js';
export * from './errors.js';
