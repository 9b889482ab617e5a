// The ComputeDriver contract, its base class, capabilities, VirtAPI, driver errors and the work-item table.
export {};
