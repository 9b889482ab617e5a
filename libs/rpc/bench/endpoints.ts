import { defineEndpoint, type Endpoint } from '../src/index.js';

/** The endpoint of msg_bench.py, method for method. */
export function benchEndpoint(): Endpoint {
  let casts = 0;
  return defineEndpoint({
    target: { version: '1.3' },
    methods: {
      echo: (_ctx, { arg }) => arg,
      object_action: (_ctx, { objinst }) => {
        const data = (objinst as { 'nova_object.data': Record<string, unknown> })['nova_object.data'];
        data.progress = Number(data.progress ?? 0) + 1;
        data.task_state = null;
        return objinst;
      },
      cast_sink: () => {
        casts++;
      },
      cast_count: () => casts,
      reset_count: () => {
        casts = 0;
        return true;
      },
    },
  });
}
