import { describe, expect, test } from '@jest/globals';
import { Pacer, PROBE_ROUNDS, type Departure } from '../../../src/dropbox/pacer.ts';
import type { FailureFacts } from '../../../src/dropbox/retry.ts';

/** A clock that only moves when the pacer sleeps (or a test says so). */
class FakeClock {
  now = 1_000_000;
  readonly sleeps: number[] = [];
  readonly sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.now += ms;
    return Promise.resolve();
  };
}

const rateLimited = (retryAfterSeconds?: number): FailureFacts => ({
  status: 429,
  tags: ['too_many_requests'],
  network: false,
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});
const WHY = 'HTTP 429 too_many_requests';

function pacerWith(maxWindows = 5): { pacer: Pacer; clock: FakeClock; lines: string[] } {
  const clock = new FakeClock();
  const lines: string[] = [];
  const pacer = new Pacer({
    maxWindows,
    backoff: { baseDelayMs: 500, maxDelayMs: 20_000, random: () => 0.5 },
    log: (line) => lines.push(line),
    now: () => clock.now,
    sleep: clock.sleep,
  });
  return { pacer, clock, lines };
}

/** `count` attempts sent together. */
function departAll(pacer: Pacer, count: number): Departure[] {
  return Array.from({ length: count }, () => pacer.depart());
}

describe('the slow-down window', () => {
  test('with no window open, a request goes at once', async () => {
    const { pacer, clock } = pacerWith();
    expect(pacer.mustWait).toBe(false);
    await pacer.ready();
    expect(clock.sleeps).toEqual([]);
  });

  test('a 429 opens a window every request waits out, said once; the others sent with it join it', async () => {
    const { pacer, clock, lines } = pacerWith();
    const sent = departAll(pacer, 8);
    const error = new Error('429');
    for (const departure of sent) pacer.slowedDown(departure, rateLimited(2), WHY, error);
    expect(lines).toEqual([
      'Dropbox asked to slow down (HTTP 429 too_many_requests): every request waits 2.0 s.',
    ]);
    expect(pacer.windows).toBe(1);
    expect(pacer.mustWait).toBe(true);
    await pacer.ready();
    expect(clock.now).toBe(1_000_000 + 2000);
    expect(pacer.mustWait).toBe(false);
    expect(pacer.inFlight).toBe(0);
  });

  test('a 429 to a request sent after the window opened opens the next one', () => {
    const { pacer, clock, lines } = pacerWith();
    pacer.slowedDown(pacer.depart(), rateLimited(1), WHY, new Error('429'));
    clock.now += 1000;
    pacer.slowedDown(pacer.depart(), rateLimited(3), WHY, new Error('429'));
    expect(lines).toEqual([
      'Dropbox asked to slow down (HTTP 429 too_many_requests): every request waits 1.0 s.',
      'Dropbox asked to slow down (HTTP 429 too_many_requests): every request waits 3.0 s.',
    ]);
    expect(pacer.windows).toBe(2);
  });

  test('without Retry-After the window is the backoff, growing with the windows in a row', () => {
    const { pacer, lines } = pacerWith();
    pacer.slowedDown(pacer.depart(), rateLimited(), WHY, new Error('429'));
    pacer.slowedDown(pacer.depart(), rateLimited(), WHY, new Error('429'));
    // Full jitter over the upper half with random 0.5: 375 ms, then 750 ms.
    expect(lines.map((line) => /waits ([\d.]+) s/.exec(line)?.[1])).toEqual(['0.4', '0.8']);
  });

  test('a 503 with Retry-After opens a window too', () => {
    const { pacer, lines } = pacerWith();
    const facts: FailureFacts = { status: 503, tags: [], network: false, retryAfterSeconds: 4 };
    pacer.slowedDown(pacer.depart(), facts, 'HTTP 503', new Error('503'));
    expect(lines).toEqual(['Dropbox asked to slow down (HTTP 503): every request waits 4.0 s.']);
  });

  test('after maxWindows windows in a row with nothing answered, the pacer refuses every request', async () => {
    const { pacer, clock, lines } = pacerWith(3);
    const last = new Error('the last 429');
    for (let window = 1; window <= 3; window += 1) {
      await pacer.ready();
      // Many requests go each time, as after every window; only the first refusal counts.
      for (const departure of departAll(pacer, 50))
        pacer.slowedDown(departure, rateLimited(2), WHY, window === 3 ? last : new Error('429'));
    }
    expect(pacer.refused).toBe(true);
    expect(pacer.refusal).toEqual({ error: last, windows: 3 });
    expect(pacer.mustWait).toBe(true);
    await expect(pacer.ready()).rejects.toBe(last);
    // Two windows waited out, then the refusal: about (maxWindows - 1) × the wait, whatever the count.
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      'Dropbox asked to slow down 3 time(s) in a row (HTTP 429 too_many_requests) and answered nothing in ' +
        'between: no more requests are sent.',
    );
  });

  test('an answer between windows ends the streak: a passing storm never refuses', () => {
    const { pacer, clock } = pacerWith(2);
    for (let window = 0; window < 10; window += 1) {
      pacer.slowedDown(pacer.depart(), rateLimited(1), WHY, new Error('429'));
      clock.now += 1000;
      pacer.answered(pacer.depart());
    }
    expect(pacer.windows).toBe(10);
    expect(pacer.refused).toBe(false);
  });
});

/**
 * Dropbox answering as the transfer sends: each answer frees a place, and as many new requests go as the
 * width allows, so the width is in use. Returns the widths seen after each answer.
 */
function answerSteadily(pacer: Pacer, answers: number, out: Departure[] = []): number[] {
  const fill = (): void => {
    while (pacer.inFlight < pacer.width) out.push(pacer.depart());
  };
  fill();
  const widths: number[] = [];
  for (let answer = 0; answer < answers; answer += 1) {
    pacer.answered(out.shift() as Departure);
    widths.push(pacer.width);
    fill();
  }
  return widths;
}

/** A server that allows `limit` at once refuses the request after them. */
function refuseBeyond(pacer: Pacer, limit: number): void {
  const sent = departAll(pacer, limit + 1);
  pacer.slowedDown(sent[limit] as Departure, rateLimited(1), WHY, new Error('429'));
  for (const departure of sent.slice(0, limit)) pacer.answered(departure);
}

describe('the width', () => {
  test('unbounded until set; it starts where the transfer says', () => {
    const { pacer } = pacerWith();
    expect(pacer.width).toBe(Number.POSITIVE_INFINITY);
    pacer.setWidth(8, 64);
    expect(pacer.width).toBe(8);
  });

  test('while it is in use, each answer widens it by one (slow start: it doubles per round) up to the most', () => {
    const { pacer } = pacerWith();
    pacer.setWidth(8, 64);
    const widths = answerSteadily(pacer, 100);
    expect(widths[7]).toBe(16);
    expect(widths[23]).toBe(32);
    expect(widths[55]).toBe(64);
    expect(Math.max(...widths)).toBe(64);
  });

  test('answers that do not fill the width do not widen it', () => {
    const { pacer } = pacerWith();
    pacer.setWidth(8, 64);
    for (let index = 0; index < 100; index += 1) pacer.answered(pacer.depart());
    expect(pacer.width).toBe(8);
  });

  test('a slow-down halves it, and it grows back by one per round up to what Dropbox refused, less one', () => {
    const { pacer, clock } = pacerWith();
    pacer.setWidth(16, 64);
    refuseBeyond(pacer, 16);
    clock.now += 1000;
    expect(pacer.width).toBeLessThanOrEqual(9);
    const widths = answerSteadily(pacer, 16 * (PROBE_ROUNDS - 2));
    // Additive: from 9 to 16 takes 9 + 10 + … + 15 answers, one round per step.
    expect(widths[90]).toBe(16);
    expect(widths.indexOf(16)).toBeGreaterThan(80);
    expect(Math.max(...widths)).toBe(16);
  });

  test(`at that ceiling it tries one more only after ${PROBE_ROUNDS} rounds without a slow-down`, () => {
    const { pacer } = pacerWith();
    pacer.setWidth(4, 64);
    refuseBeyond(pacer, 4);
    const widths = answerSteadily(pacer, 4 * PROBE_ROUNDS + 40);
    const firstAtFive = widths.indexOf(5);
    expect(firstAtFive).toBeGreaterThanOrEqual(4 * PROBE_ROUNDS);
    expect(firstAtFive).toBeLessThanOrEqual(4 * PROBE_ROUNDS + 20);
  });

  test('repeated slow-downs narrow it to one, never less', () => {
    const { pacer, clock } = pacerWith(100);
    pacer.setWidth(8, 64);
    for (let window = 0; window < 6; window += 1) {
      const sent = departAll(pacer, pacer.width);
      for (const departure of sent) pacer.slowedDown(departure, rateLimited(1), WHY, new Error('429'));
      clock.now += 1000;
    }
    expect(pacer.width).toBe(1);
  });

  test('the window line says how many go at once after it', () => {
    const { pacer, lines } = pacerWith();
    pacer.setWidth(16, 64);
    refuseBeyond(pacer, 16);
    expect(lines).toEqual([
      'Dropbox asked to slow down (HTTP 429 too_many_requests): every request waits 1.0 s, then at most 8 at once.',
    ]);
  });

  test('a width set after a slow-down keeps the ceiling learned', () => {
    const { pacer } = pacerWith();
    pacer.setWidth(32, 64);
    refuseBeyond(pacer, 10);
    pacer.setWidth(32, 64);
    expect(pacer.width).toBe(16);
  });
});

test('the ceiling is what the least loaded refusal of a burst had in flight, less one', () => {
  const { pacer, clock } = pacerWith();
  pacer.setWidth(32, 64);
  // 32 went together; a server that allows 16 refuses the 17th to the 32nd, whichever answer comes first.
  const sent = departAll(pacer, 32);
  for (const departure of [...sent.slice(16)].reverse())
    pacer.slowedDown(departure, rateLimited(1), WHY, new Error('429'));
  for (const departure of sent.slice(0, 16)) pacer.answered(departure);
  expect(pacer.width).toBe(16);
  clock.now += 1000;
  const widths = answerSteadily(pacer, 16 * (PROBE_ROUNDS - 2));
  expect(Math.max(...widths)).toBe(16);
});

test('without Retry-After, the answers that join a window wait no longer than the one that opened it', async () => {
  const { pacer, clock } = pacerWith();
  const sent = departAll(pacer, 3);
  for (const departure of sent) pacer.slowedDown(departure, rateLimited(), WHY, new Error('429'));
  await pacer.ready();
  // The first window's backoff: 375 ms with random 0.5, whichever answer came last.
  expect(clock.sleeps).toEqual([375]);
});
