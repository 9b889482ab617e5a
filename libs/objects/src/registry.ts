// The one registry of Nova's objects: envelope keys `nova_object.*`, namespace `nova`.
// Classes are added explicitly, all at once, by objects.ts.
import { ObjectRegistry } from '@novakit/versioned-objects';

export const objectRegistry = new ObjectRegistry({ serialNamespace: 'nova_object', projectNamespace: 'nova' });
