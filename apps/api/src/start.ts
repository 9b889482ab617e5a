/**
 * The composition root of the API service: transport (shared in the embedded node), the
 * conductor client, the compute RPC client, the volume stand-in, the Fastify app; then listen.
 */
import { COMPUTE_RPC_API, ComputeRpcClient, computeRpcVersionForService } from '@novakit/compute-api';
import { ConductorClient } from '@novakit/conductor-api';
import { NovaObjectSerializer, RequestContext, Service } from '@novakit/objects';
import { createTransport, type Transport } from '@novakit/rpc';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { buildApp } from './app.js';
import type { ApiBackend } from './backend.js';
import { parseApiConfig, type ApiConfig, type ApiConfigInput } from './config.js';
import { allRoutes } from './routes/index.js';
import { VolumeService } from './volumes/service.js';

export interface StartApiOptions {
  readonly config: ApiConfig | ApiConfigInput;
  /** A transport to share (embedded mode); default: one opened from `config.transportUrl`, closed on close(). */
  readonly transport?: Transport;
  readonly logger?: Logger;
}

export interface ApiHandle {
  /** `http://host:port` the API listens on. */
  readonly url: string;
  readonly port: number;
  readonly config: ApiConfig;
  readonly app: FastifyInstance;
  readonly volumes: VolumeService;
  /** Every route as `METHOD /path` (documentation, coverage checks). */
  readonly routes: readonly string[];
  /** Stops listening after the requests in flight, then closes what it opened. */
  close(): Promise<void>;
}

const COMPUTE_BINARY = 'nova-compute';

export async function startApi(options: StartApiOptions): Promise<ApiHandle> {
  const config = parseApiConfig(options.config);
  const logger = options.logger ?? pino({ name: 'nova-api', level: config.logLevel });
  const transport = options.transport ?? (await createTransport(config.transportUrl, { exchange: config.exchange, logger }));
  const ownsTransport = options.transport === undefined;
  const timeoutMs = Math.round(config.rpcTimeoutSeconds * 1000);
  try {
    const longTimeoutMs = Math.round(config.longRpcTimeoutSeconds * 1000);
    const conductor = new ConductorClient(transport, { topic: config.conductorTopic, versionCap: config.upgradeLevels.conductor, timeoutMs, longTimeoutMs, logger });
    const admin = RequestContext.admin({ indirection: conductor });
    const compute = new ComputeRpcClient(transport, {
      serializer: new NovaObjectSerializer({ indirection: conductor }),
      timeoutMs,
      versionCap: COMPUTE_RPC_API.versionCap(config.upgradeLevels.compute, async () => computeRpcVersionForService(await Service.getMinimumVersion(admin, COMPUTE_BINARY))),
    });
    const backend: ApiBackend = { conductor, compute };
    const volumes = new VolumeService(config.volumes.dataDir, config.volumes.maxSizeGb);
    const routes = allRoutes({ backend, volumes });
    const app = buildApp({ config, backend, routes, logger });
    await app.listen({ host: config.listen.host, port: config.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.listen.port;
    const shownHost = config.listen.host === '0.0.0.0' || config.listen.host === '::' ? '127.0.0.1' : config.listen.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    logger.info({ url }, 'API listening');
    let closing: Promise<void> | undefined;
    return {
      url,
      port,
      config,
      app,
      volumes,
      routes: routes.map((r) => `${r.method} ${r.url}`),
      close: () =>
        (closing ??= (async () => {
          await app.close();
          if (ownsTransport) await transport.close();
        })()),
    };
  } catch (err) {
    if (ownsTransport) await transport.close().catch(() => undefined);
    throw err;
  }
}
