// The compute manager service that runs on every hypervisor host.
export {};
