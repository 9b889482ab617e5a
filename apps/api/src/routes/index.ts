// Every route of the API, in one list (tests walk it to check each one is covered).
import type { AnyRoute } from '../http/route.js';
import { flavorRoutes } from './flavors.js';
import { healthRoutes } from './health.js';
import { hypervisorRoutes } from './hypervisors.js';
import { instanceActionRoutes } from './instance-actions.js';
import { migrationRoutes } from './migrations.js';
import { securityGroupRoutes } from './security-groups.js';
import { serverActionRoutes } from './server-actions.js';
import { serverRoutes } from './servers.js';
import { serviceRoutes } from './services.js';
import type { RouteDeps } from './services-bag.js';
import { volumeAttachmentRoutes } from './volume-attachments.js';
import { volumeRoutes } from './volumes.js';

export function allRoutes(deps: RouteDeps): AnyRoute[] {
  return [
    ...healthRoutes(),
    ...serverRoutes(deps),
    ...serverActionRoutes(deps),
    ...volumeAttachmentRoutes(deps),
    ...instanceActionRoutes(),
    ...migrationRoutes(),
    ...flavorRoutes(),
    ...serviceRoutes(),
    ...hypervisorRoutes(),
    ...securityGroupRoutes(),
    ...volumeRoutes(deps),
  ];
}
