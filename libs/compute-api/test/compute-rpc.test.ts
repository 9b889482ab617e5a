import { Instance, InstanceNotFound, NovaObjectSerializer, RequestContext } from '@novakit/objects';
import { createTransport, InvalidArguments, RpcServer, type Transport } from '@novakit/rpc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMPUTE_METHODS,
  COMPUTE_RPC_API,
  ComputeRpcClient,
  ComputeTooOld,
  computeRpcVersionForService,
  createComputeEndpoint,
  type ComputeRpcHandlers,
} from '../src/index.js';

const UUID = '3f0c2b8e-7d4a-4c1e-9b6f-2a5d8e1c0f47';

function recordingHandlers(log: Array<{ method: string; args: any }>): ComputeRpcHandlers {
  const handlers: Record<string, unknown> = {};
  for (const name of Object.keys(COMPUTE_METHODS)) {
    handlers[name] = async (_ctx: RequestContext, args: any) => {
      log.push({ method: name, args });
      if (args.instance?.uuid === '00000000-0000-4000-8000-000000000000') throw new InstanceNotFound({ instance_id: args.instance.uuid });
      if (name === 'getConsoleOutput') return 'boot log';
      if (name === 'checkInstanceSharedStorage') return true;
      if (name === 'checkCanLiveMigrateDestination') return { is_shared_instance_path: false };
      return undefined;
    };
  }
  return handlers as ComputeRpcHandlers;
}

describe('the compute RPC API over the in-process transport (same bytes as AMQP)', () => {
  let transport: Transport;
  let server: RpcServer<RequestContext>;
  const log: Array<{ method: string; args: any }> = [];
  const ctx = RequestContext.admin();
  const serializer = new NovaObjectSerializer();
  const instance = () => new Instance({ id: 1, uuid: UUID, host: 'host-a', vm_state: 'active' });

  beforeEach(async () => {
    log.length = 0;
    transport = await createTransport(`memory://compute-api-${Math.random()}`);
    server = new RpcServer(transport, { topic: 'compute', server: 'host-a' }, [createComputeEndpoint(recordingHandlers(log))], { serializer });
    await server.start();
  });
  afterEach(async () => {
    await server.stop();
    await transport.close();
  });

  it('instances arrive as Instance objects on the instance’s host, calls return results', async () => {
    const client = new ComputeRpcClient(transport, { serializer });
    expect(await client.getConsoleOutput(ctx, instance(), 10)).toBe('boot log');
    expect(await client.checkInstanceSharedStorage(ctx, instance(), 'host-a', { filename: 'x' })).toBe(true);
    await client.rebootInstance(ctx, instance(), 'HARD');
    await new Promise((r) => setTimeout(r, 50));
    const reboot = log.find((l) => l.method === 'rebootInstance')!;
    expect(reboot.args.instance).toBeInstanceOf(Instance);
    expect(reboot.args.instance.uuid).toBe(UUID);
    expect(reboot.args.reboot_type).toBe('HARD');
  });

  it('named errors come back as the same class', async () => {
    const client = new ComputeRpcClient(transport, { serializer });
    const ghost = new Instance({ id: 2, uuid: '00000000-0000-4000-8000-000000000000', host: 'host-a' });
    await expect(client.getConsoleOutput(ctx, ghost)).rejects.toBeInstanceOf(InstanceNotFound);
  });

  it('malformed arguments are refused before any handler runs', async () => {
    const raw = new ComputeRpcClient(transport, { serializer });
    const bad = (raw as any).client.prepare({ server: 'host-a' });
    await expect(bad.call(ctx, 'get_console_output', { instance: { not: 'an instance' } })).rejects.toBeInstanceOf(InvalidArguments);
    await expect(bad.call(ctx, 'get_console_output', { instance: serializer.serializeEntity(ctx, instance()), extra: 1 })).rejects.toBeInstanceOf(InvalidArguments);
    expect(log).toEqual([]);
  });

  it('a method above the version cap is not sent', async () => {
    const client = new ComputeRpcClient(transport, { serializer, versionCap: '0.9' });
    await expect(client.startInstance(ctx, instance())).rejects.toBeInstanceOf(ComputeTooOld);
    const noHost = new ComputeRpcClient(transport, { serializer });
    await expect(noHost.startInstance(ctx, new Instance({ id: 3, uuid: UUID, host: null }))).rejects.toBeInstanceOf(ComputeTooOld);
  });
});

describe('versions', () => {
  it('history, aliases and the service-version map', () => {
    expect(COMPUTE_RPC_API.latest).toBe('1.0');
    expect(COMPUTE_RPC_API.resolveCap('release-1')).toBe('1.0');
    expect(computeRpcVersionForService(1)).toBe('1.0');
    expect(computeRpcVersionForService(7)).toBe('1.0');
    for (const spec of Object.values(COMPUTE_METHODS)) expect(COMPUTE_RPC_API.versions).toContain(spec.since);
  });
});
