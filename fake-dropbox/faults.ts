import type { FaultAction, FaultInjector, FaultRule, FiredFault } from './types.ts';

interface ArmedRule {
  rule: FaultRule;
  /** Matching requests seen so far. */
  seen: number;
  firedCount: number;
}

/**
 * Decides, per request, whether a fault fires. A rule fires first on its `nth` matching request (or the
 * `every`-th), then on every `every`-th after that, at most `times` times. Rules are tried in the order
 * they were added; the first that fires wins, but every matching rule counts the request.
 */
export class Faults implements FaultInjector {
  readonly fired: FiredFault[] = [];
  #rules: ArmedRule[] = [];

  add(rule: FaultRule): void {
    for (const [name, value] of [
      ['nth', rule.nth],
      ['every', rule.every],
      ['times', rule.times],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new Error(`fault rule ${name} must be a positive integer`);
      }
    }
    this.#rules.push({ rule, seen: 0, firedCount: 0 });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Called once per request on arrival. */
  take(route: string, seq: number): FaultAction | undefined {
    let chosen: FaultAction | undefined;
    for (const armed of this.#rules) {
      if (!routeMatches(armed.rule.route, route)) continue;
      armed.seen += 1;
      if (chosen === undefined && shouldFire(armed)) {
        armed.firedCount += 1;
        chosen = armed.rule.action;
        this.fired.push({ route, kind: chosen.kind, seq });
      }
    }
    return chosen;
  }
}

function routeMatches(pattern: string | RegExp | undefined, route: string): boolean {
  if (pattern === undefined) return true;
  if (typeof pattern === 'string') return pattern.replace(/^\/?(2\/)?/, '') === route;
  pattern.lastIndex = 0;
  return pattern.test(route);
}

function shouldFire({ rule, seen, firedCount }: ArmedRule): boolean {
  const every = rule.every ?? 1;
  const times = rule.times ?? (rule.every !== undefined ? Infinity : 1);
  const first = rule.nth ?? every;
  return firedCount < times && seen >= first && (seen - first) % every === 0;
}
