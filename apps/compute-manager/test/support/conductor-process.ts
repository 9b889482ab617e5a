// A conductor in a process of its own for the multi-process tests: the database file and the
// broker come from the environment; prints "ready" when it consumes its topic.
import { createConductorServer } from '@novakit/conductor';
import { openDbApi } from '@novakit/db';
import { createTransport } from '@novakit/rpc';
import { pino } from 'pino';

const logger = pino({ level: process.env.NOVAKIT_LOG_LEVEL ?? 'warn' }, pino.destination(2));
const db = await openDbApi(process.env.CM_DB_URL!, { schema: 'check' });
const transport = await createTransport(process.env.CM_TRANSPORT_URL!, { exchange: process.env.CM_EXCHANGE!, logger });
const server = createConductorServer({ transport, db, host: 'ctl', topic: process.env.CM_TOPIC ?? 'conductor', logger });
await server.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void server
    .stop({ graceMs: 2000 })
    .then(() => transport.close())
    .then(() => db.close())
    .finally(() => process.exit(0));
});
