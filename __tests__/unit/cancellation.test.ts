import { afterEach, expect, jest, test } from '@jest/globals';
import { EXIT_DEADLINE_MS, watchForCancellation } from '../../src/cancellation.ts';

afterEach(() => {
  jest.useRealTimers();
});

test.each(['SIGINT', 'SIGTERM'] as const)(
  '%s aborts the run signal once, and exits non-zero if the run has not ended by the deadline',
  (name) => {
    jest.useFakeTimers();
    const lines: string[] = [];
    const exit = jest.fn<(code: number) => void>();
    const cancellation = watchForCancellation((line) => lines.push(line), exit);
    try {
      process.emit(name, name);
      process.emit('SIGTERM', 'SIGTERM');
      expect(cancellation.signal.aborted).toBe(true);
      expect(lines).toEqual([
        `Received ${name}: the run was cancelled. Starting nothing new and stopping what is in flight.`,
      ]);
      jest.advanceTimersByTime(EXIT_DEADLINE_MS - 1);
      expect(exit).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
      expect(EXIT_DEADLINE_MS).toBeLessThan(5000);
    } finally {
      cancellation.dispose();
    }
  },
);

test('dispose removes the handlers', () => {
  const before = process.listenerCount('SIGINT');
  const cancellation = watchForCancellation(
    () => undefined,
    () => undefined,
  );
  expect(process.listenerCount('SIGINT')).toBe(before + 1);
  cancellation.dispose();
  expect(process.listenerCount('SIGINT')).toBe(before);
  expect(cancellation.signal.aborted).toBe(false);
});
