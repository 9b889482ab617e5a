// A long workflow as an object with explicit rollback (Nova's conductor TaskBase): each step
// that changes something registers how to undo it; on failure the undo steps run newest first,
// each one's failure logged and skipped so the others still run.
import type { Logger } from 'pino';

export abstract class WorkflowTask<T> {
  private readonly undo: { name: string; run: () => Promise<void> }[] = [];

  constructor(protected readonly log: Logger) {}

  protected abstract execute(): Promise<T>;

  /** Registers the undo of a step that just succeeded. */
  protected onRollback(name: string, run: () => Promise<void>): void {
    this.undo.push({ name, run });
  }

  async run(): Promise<T> {
    try {
      return await this.execute();
    } catch (err) {
      await this.rollback();
      throw err;
    }
  }

  private async rollback(): Promise<void> {
    for (const step of this.undo.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        this.log.warn({ err, step: step.name }, 'rollback step failed');
      }
    }
  }
}
