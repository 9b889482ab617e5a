// The versioned-objects framework: fields, defineObject, registry, change tracking, primitives, backport, remotable methods, serializer, fingerprints.
export {};
