// The conductor manager: object actions, legacy methods, backports, compute_task and the scheduler.
export {};
