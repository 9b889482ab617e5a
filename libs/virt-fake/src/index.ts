// The in-memory reference driver.
export {};
