#!/usr/bin/env -S node --conditions=development
// The `novakit` command: the TypeScript entry point run in this same process through tsx's
// loader (no build step; one process, so Ctrl-C and kill reach `novakit up` itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
