/**
 * The command line's flags, read against an input table: `--name value` or `--name=value` for each of the
 * action's inputs, repeated for a multi-line one, a bare boolean flag for true; and the program's own
 * --json, --verbose, --help and --version. Pure, so every case is a table test.
 */
import type { InputSpec } from '../inputs/input-spec.ts';

/** A command line that cannot be read: nothing runs, and the program exits with 2. */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

export type ParsedArguments =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      /** Each input given, by name, with its values in order (several only for a multi-line input). */
      values: ReadonlyMap<string, readonly string[]>;
      /** The secret inputs given as flags: each gets a warning. */
      secretFlags: readonly string[];
      json: boolean;
      verbose: boolean;
    };

const programFlags = ['json', 'verbose', 'help', 'version'] as const;

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function suggestion(name: string, known: readonly string[]): string {
  const close = known
    .map((candidate) => ({ candidate, far: distance(name, candidate) }))
    .filter(({ candidate, far }) => far <= 2 || candidate.startsWith(name) || name.startsWith(candidate))
    .sort((a, b) => a.far - b.far)[0];
  return close === undefined ? '' : ` Did you mean --${close.candidate}?`;
}

/** How a flag's value is quoted in a message: never for a secret. */
function shownValue(input: InputSpec, value: string): string {
  return input.secret === undefined ? JSON.stringify(value) : '(hidden)';
}

export function parseArguments(argv: readonly string[], inputs: readonly InputSpec[]): ParsedArguments {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  if (argv.includes('--version')) return { kind: 'version' };
  const byName = new Map(inputs.map((input) => [input.name, input]));
  const known = [...inputs.map((input) => input.name), ...programFlags];
  const values = new Map<string, string[]>();
  const secretFlags: string[] = [];
  let json = false;
  let verbose = false;
  let lastBoolean: string | undefined;

  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const flag = /^--([^=]+)(?:=([\s\S]*))?$/.exec(argument);
    if (flag === null) {
      const hint =
        lastBoolean !== undefined && /^(true|false)$/i.test(argument)
          ? ` A bare --${lastBoolean} means true; write --${lastBoolean}=${argument} to set it.`
          : ' Give the files to upload with --path, and every other input as --name value.';
      throw new ArgumentError(`Unexpected argument ${JSON.stringify(argument)}.${hint}`);
    }
    lastBoolean = undefined;
    const [, name = '', inline] = flag;
    if (name === 'json' || name === 'verbose') {
      if (inline !== undefined) throw new ArgumentError(`--${name} takes no value.`);
      if (name === 'json') json = true;
      else verbose = true;
      continue;
    }
    const negated = name.startsWith('no-') ? byName.get(name.slice(3)) : undefined;
    if (negated !== undefined && negated.boolean !== true && !byName.has(name)) {
      throw new ArgumentError(
        `--${name}: only a true/false input has a --no- form; give --${negated.name} ${negated.value}.`,
      );
    }
    const input = byName.get(name) ?? negated;
    if (input === undefined) throw new ArgumentError(`Unknown option --${name}.${suggestion(name, known)}`);

    let value: string;
    if (input !== byName.get(name)) {
      if (inline !== undefined) throw new ArgumentError(`--${name} takes no value.`);
      value = 'false';
    } else if (inline !== undefined) {
      value = inline;
    } else if (input.boolean === true) {
      value = 'true';
      lastBoolean = name;
    } else {
      const next = argv[index + 1];
      if (next === undefined || next.startsWith('--')) {
        throw new ArgumentError(`--${name} needs a value: --${name} ${input.value}.`);
      }
      value = next;
      index += 1;
    }

    const given = values.get(input.name);
    if (given !== undefined && input.multiLine !== true) {
      throw new ArgumentError(
        `--${input.name} is given more than once (${shownValue(input, given[0] ?? '')} and ${shownValue(input, value)}); give it once.`,
      );
    }
    values.set(input.name, [...(given ?? []), value]);
    if (input.secret !== undefined && !secretFlags.includes(input.name)) secretFlags.push(input.name);
  }
  return { kind: 'run', values, secretFlags, json, verbose };
}

/**
 * An input's raw value as the pipeline reads it, as the runner's INPUT_* would give it: a multi-line
 * input's flags one per line, a credential from its flag or else its environment variable, '' when not
 * given (readInputs then applies the default).
 */
export function commandLineInput(
  values: ReadonlyMap<string, readonly string[]>,
  inputs: readonly InputSpec[],
  environment: Readonly<Record<string, string | undefined>>,
): (name: string) => string {
  const byName = new Map(inputs.map((input) => [input.name, input]));
  return (name) => {
    const given = values.get(name);
    if (given !== undefined) return given.join('\n');
    const variable = byName.get(name)?.secret?.environment;
    return variable === undefined ? '' : (environment[variable] ?? '');
  };
}
