// The bench's conductor: one worker in its own process (as msg_bench.py runs its server), on
// RabbitMQ and the bench's SQLite file. Prints READY once serving; SIGTERM stops it.
import { openDbApi } from '@novakit/db';
import { createTransport } from '@novakit/rpc';
import { pino } from 'pino';
import { startConductor } from '../src/index.js';

const [dbUrl, amqpUrl, exchange, topic] = process.argv.slice(2) as [string, string, string, string];
const logger = pino({ level: 'warn' }, process.stderr);
const db = await openDbApi(dbUrl);
const transport = await createTransport(amqpUrl, { exchange, logger });
const conductor = await startConductor({ transport, db, host: 'bench', topic, logger, reportIntervalMs: 10_000 });
process.stdout.write('READY\n');
process.once('SIGTERM', () => {
  void (async () => {
    await conductor.stop({ graceMs: 5000 });
    await transport.close();
    await db.close();
    process.exit(0);
  })();
});
