/** Work under way, counted: how the transfer waits for its commits without keeping a promise per file. */
/**
 * Work under way, counted rather than kept: a run of 100,000 files holds no promise per file. The first
 * failure of the work itself (a bug, as results are settled in it) is rethrown by `settled`.
 */
export class Outstanding {
  #count = 0;
  #failure: { error: unknown } | undefined;
  #idle: (() => void) | undefined;

  track(work: Promise<void>): void {
    this.#count += 1;
    void work
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#count -= 1;
        if (this.#count === 0) this.#idle?.();
      });
  }

  async settled(): Promise<void> {
    if (this.#count > 0) await new Promise<void>((resolve) => (this.#idle = resolve));
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}
