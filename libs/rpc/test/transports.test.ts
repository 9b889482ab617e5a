import { harnesses } from './harness.js';
import { describeRpcSuite } from './rpc-suite.js';

for (const h of await harnesses()) describeRpcSuite(h);
