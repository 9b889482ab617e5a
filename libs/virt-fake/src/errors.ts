// Errors of the fake driver itself; the errors it raises as a driver are the contract's.
import { NovakitError } from '@novakit/versioned-objects';

/** A `fake` driver configuration key is unknown or has the wrong shape. */
export class FakeDriverConfigInvalid extends NovakitError<{ key: string; reason: string }> {
  static override readonly category = 'Invalid';
  static override readonly msgFmt = 'Invalid fake driver configuration {key}: {reason}';
}
