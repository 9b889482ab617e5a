// The conductor RPC contract and client: object methods, legacy raw methods, compute_task.
export {};
