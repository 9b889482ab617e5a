// The QEMU driver controlled over QMP.
export {};
