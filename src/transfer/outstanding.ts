/**
 * Work under way, counted rather than kept: a run of 100,000 files holds no promise per file. The first
 * failure of the work itself (a bug, as results are settled in it) is rethrown by `settled`.
 */
export class Outstanding {
  #count = 0;
  #failure: { error: unknown } | undefined;
  #waiting: (() => void)[] = [];

  track(work: Promise<void>): void {
    this.#count += 1;
    void work
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#count -= 1;
        if (this.#count > 0) return;
        for (const resume of this.#waiting.splice(0)) resume();
      });
  }

  async settled(): Promise<void> {
    if (this.#count > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}
