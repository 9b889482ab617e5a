// Errors of the conductor service: configuration problems, each naming the key, the value's
// source (file, environment variable, flag) and what is wrong with it.
import { NovakitError } from '@novakit/versioned-objects';

export class ConfigError extends NovakitError<{ problems: string[] }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'invalid conductor configuration';
  constructor(kwargs: { problems: string[] }, message?: string) {
    super(kwargs, message ?? `invalid conductor configuration:\n${kwargs.problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
