/**
 * Starting a QEMU process. Guests are spawned detached (own session, no stdio tie to us) so
 * that a compute-manager restart or crash leaves them running; the manager finds them again
 * from the pidfile and QMP socket. stderr goes to a log file for spawn-failure reports.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { HostToolUnavailable } from '../errors.js';

export interface LaunchSpec {
  binary: string;
  argv: string[];
  /** stdout and stderr of QEMU, appended. */
  logFile: string;
}

export interface LaunchedProcess {
  pid: number;
  /** Settles when the process exits with its exit code (signal: null). Only while we are its parent. */
  exited: Promise<number | null>;
}

export interface QemuLauncher {
  launch(spec: LaunchSpec): Promise<LaunchedProcess>;
}

export const detachedLauncher: QemuLauncher = {
  launch(spec) {
    const log = openSync(spec.logFile, 'a');
    try {
      const child = spawn(spec.binary, spec.argv, { detached: true, stdio: ['ignore', log, log] });
      const exited = new Promise<number | null>((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.once('error', () => resolve(null));
      });
      child.unref();
      return new Promise((resolve, reject) => {
        child.once('spawn', () => resolve({ pid: child.pid!, exited }));
        child.once('error', (err: NodeJS.ErrnoException) => reject(new HostToolUnavailable({ tool: spec.binary, reason: err.code ?? err.message })));
      });
    } finally {
      closeSync(log);
    }
  },
};
