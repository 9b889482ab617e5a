/** Run a host tool and collect its output; a missing binary is HostToolUnavailable. */
import { execFile } from 'node:child_process';
import { HostCommandFailed, HostToolUnavailable } from '../errors.js';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export function runCommand(binary: string, args: string[], input?: string, timeoutMs = 60_000): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES') return reject(new HostToolUnavailable({ tool: binary, reason: String(code) }));
      const exitCode = typeof err.code === 'number' ? err.code : null;
      reject(new HostCommandFailed({ command: `${binary} ${args.join(' ')}`, exitCode, stderr: stderr || err.message }));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
