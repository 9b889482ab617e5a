// The compute domain objects (Instance, BlockDeviceMapping, ComputeNode, Service, ...) with their version histories.
export {};
