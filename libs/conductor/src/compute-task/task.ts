// Long workflows as task objects (Nova's conductor/tasks/base.py): `execute` runs the steps
// and, when one fails, the task's own `rollback` undoes what it did before the error goes on.
import type { Logger } from 'pino';

export abstract class TaskBase<T> {
  constructor(protected readonly log: Logger) {}

  async execute(): Promise<T> {
    try {
      return await this.run();
    } catch (err) {
      try {
        await this.rollback(err);
      } catch (rollbackErr) {
        // The original error is what the caller must see; a failed rollback is for the operator.
        this.log.error({ err: rollbackErr, cause: (err as Error)?.message }, `${this.constructor.name} rollback failed`);
      }
      throw err;
    }
  }

  protected abstract run(): Promise<T>;

  /** Undo what `run` did before it failed with `err`. */
  protected abstract rollback(err: unknown): Promise<void>;
}
