import type { ComputeDriver, ComputeDriverFactory, DriverFactoryOptions } from './compute-driver.js';
import { DriverNotFound } from './errors.js';

/**
 * Build the driver named in configuration. The composition root passes the factories it
 * links (`{ fake: createFakeDriver, qemu: createQemuDriver }`): this lib cannot import drivers.
 */
export function loadComputeDriver(name: string, factories: Readonly<Record<string, ComputeDriverFactory>>, options: DriverFactoryOptions): ComputeDriver {
  const factory = Object.prototype.hasOwnProperty.call(factories, name) ? factories[name] : undefined;
  if (!factory) throw new DriverNotFound({ name, known: Object.keys(factories).sort().join(', ') || '(none)' });
  return factory(options);
}
