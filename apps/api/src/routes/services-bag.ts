// What the route modules are built from.
import type { ApiBackend } from '../backend.js';
import type { VolumeService } from '../volumes/service.js';

export interface RouteDeps {
  readonly backend: ApiBackend;
  readonly volumes: VolumeService;
}
