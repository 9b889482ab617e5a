// The HTTP API.
export {};
