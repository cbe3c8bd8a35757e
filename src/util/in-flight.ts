/**
 * At most `limit` tasks at once, started in order: while the server applies one batch the
 * client prepares and sends the next. `run` waits for a free slot; `drain` for all, and
 * throws the first failure (after every task has settled, so none is left running).
 */
export class InFlight {
  private readonly running = new Set<Promise<void>>();
  private failure: {error: unknown} | undefined;

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`InFlight: limit must be a positive integer, not ${limit}`);
  }

  async run(task: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) await this.drain();
    const started: Promise<void> = task()
      .catch((error: unknown) => {
        this.failure ??= {error};
      })
      .finally(() => this.running.delete(started));
    this.running.add(started);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }
}
