#!/usr/bin/env -S node --conditions=development
// The `compute-manager` command: the TypeScript entry point run in this same process through
// tsx's loader (no build step; one process, so signals and kill reach the service itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
