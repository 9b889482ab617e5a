// The compute RPC contract and client.
export {};
