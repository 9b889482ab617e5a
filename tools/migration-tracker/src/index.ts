// Reports, per work item, whether the compute manager and each driver are converted to objects.
export {};
