// The conductor service.
export {};
