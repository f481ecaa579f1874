import { describe, expect, jest, test } from '@jest/globals';
import { Limiter } from '../../../src/transfer/limiter.ts';

describe('Limiter ranks and aborts', () => {
  test('waiters start by rank, then in arrival order', async () => {
    const limiter = new Limiter(1);
    const started: string[] = [];
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const queued = [
      ['data a', 0],
      ['data b', 0],
      ['commit', Number.NEGATIVE_INFINITY],
      ['big file', -100],
    ] as const;
    const runs = queued.map(([name, rank]) => limiter.run(async () => void started.push(name), { rank }));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, ...runs]);
    expect(started).toEqual(['commit', 'big file', 'data a', 'data b']);
  });

  test('a waiter whose signal aborts never starts, and its slot is not lost', async () => {
    const limiter = new Limiter(1);
    let release: () => void = () => undefined;
    const first = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setImmediate(resolve));
    const abort = new AbortController();
    const task = jest.fn(async () => undefined);
    const waiting = limiter.run(task, { signal: abort.signal });
    abort.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    release();
    await first;
    await limiter.run(async () => undefined);
    expect(task).not.toHaveBeenCalled();
    expect(limiter.active).toBe(0);
  });
});

test('the limiter never runs more than its capacity, and starts waiters in order', async () => {
  const limiter = new Limiter(3);
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      limiter.run(async () => {
        order.push(index);
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 2));
        running -= 1;
      }),
    ),
  );
  expect(peak).toBe(3);
  expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

describe('a limiter whose capacity moves (the pacer’s width)', () => {
  /** Tasks that end when told to. */
  function gated(limiter: Limiter, count: number): { started: number[]; finish: (index: number) => void } {
    const started: number[] = [];
    const ends = new Map<number, () => void>();
    for (let index = 0; index < count; index += 1) {
      void limiter.run(
        () =>
          new Promise<void>((resolve) => {
            started.push(index);
            ends.set(index, resolve);
          }),
      );
    }
    return { started, finish: (index) => ends.get(index)?.() };
  }

  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  test('a wider capacity starts more at the next release; a narrower one starts none until below it', async () => {
    let capacity = 2;
    const limiter = new Limiter(() => capacity);
    const { started, finish } = gated(limiter, 10);
    await settle();
    expect(started).toEqual([0, 1]);
    capacity = 5;
    finish(0);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    capacity = 2;
    finish(1);
    finish(2);
    finish(3);
    await settle();
    // 4 and 5 still run: no new start until fewer than 2 run.
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    finish(4);
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('a capacity below one still lets one run', async () => {
    const limiter = new Limiter(() => 0);
    const { started } = gated(limiter, 3);
    await settle();
    expect(started).toEqual([0]);
  });
});
