import type { RequestContext } from '@novakit/objects';
import { defineEndpoint, withArgs, type CallInfo, type Endpoint, type EndpointMethod } from '@novakit/rpc';
import { COMPUTE_RPC_API } from './history.js';
import { COMPUTE_METHODS, type ComputeArgs, type ComputeMethodName } from './methods.js';

/** What a compute manager implements to serve the compute RPC API: one handler per method, arguments validated. */
export type ComputeRpcHandlers = {
  [M in ComputeMethodName]: (ctx: RequestContext, args: ComputeArgs<M>, info: CallInfo) => Promise<unknown>;
};

/**
 * The server endpoint of the compute RPC API: every older minor of the current major is
 * accepted; arguments are checked against each method's schema after the serializer rebuilt
 * the objects, so a malformed message is refused with InvalidArguments before any handler runs.
 */
export function createComputeEndpoint(handlers: ComputeRpcHandlers): Endpoint<RequestContext> {
  const methods: Record<string, EndpointMethod<RequestContext>> = {};
  for (const name of Object.keys(COMPUTE_METHODS) as ComputeMethodName[]) {
    const spec = COMPUTE_METHODS[name];
    const handler = handlers[name] as (ctx: RequestContext, args: unknown, info: CallInfo) => Promise<unknown>;
    methods[spec.wire] = withArgs<typeof spec.args, RequestContext>(spec.args, (ctx, args, info) => handler(ctx, args, info));
  }
  return defineEndpoint<RequestContext>({ target: { version: COMPUTE_RPC_API.latest }, methods });
}
