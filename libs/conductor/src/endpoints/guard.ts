// One wrapper for every conductor method: errors leave as the class the caller should catch,
// and each call served is logged (debug) with its request id, method and duration.
import type { EndpointMethod, RpcHandler } from '@novakit/rpc';
import type { Logger } from 'pino';

export type ErrorMapper = (err: unknown, method: string, args: Record<string, unknown>) => unknown;

export function guarded<Ctx>(methods: Record<string, EndpointMethod<Ctx>>, mapError: ErrorMapper, log: Logger): Record<string, EndpointMethod<Ctx>> {
  const out: Record<string, EndpointMethod<Ctx>> = {};
  for (const [name, method] of Object.entries(methods)) {
    const run: RpcHandler<Ctx, any> = typeof method === 'function' ? method : method.handler;
    const handler: RpcHandler<Ctx, any> = async (ctx, args, info) => {
      const start = performance.now();
      let outcome = 'ok';
      try {
        return await run(ctx, args, info);
      } catch (err) {
        const mapped = mapError(err, name, args as Record<string, unknown>);
        outcome = mapped instanceof Error ? mapped.name : 'error';
        throw mapped;
      } finally {
        if (log.isLevelEnabled('debug')) info.log.debug({ ms: Math.round((performance.now() - start) * 100) / 100, outcome }, 'served');
      }
    };
    out[name] = typeof method === 'function' ? handler : { args: method.args, handler };
  }
  return out;
}
