// The conformance suite every virt driver runs.
export {};
