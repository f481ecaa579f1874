/**
 * `--help`, generated from a program's input table (the one action.yml is checked against), so the flags,
 * defaults and descriptions a terminal shows are the action's own. The README shows it; a test keeps the
 * two equal.
 */
import { contextVariables } from '../inputs/ci-context.ts';
import type { InputSpec } from '../inputs/input-spec.ts';
import type { CommandLineProgram } from './program-definition.ts';

const WIDTH = 80;
const INDENT = '      ';

/** `text` in lines of at most WIDTH columns, each after `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

function flagLine(input: InputSpec): string {
  if (input.boolean === true) return `  --${input.name}, --no-${input.name}`;
  return `  --${input.name} ${input.value}`;
}

function describe(input: InputSpec): string[] {
  const notes = [input.description];
  if (input.commandLine !== undefined) notes.push(input.commandLine);
  if (input.required === true) notes.push('Required.');
  if (input.secret !== undefined) notes.push(`Or set ${input.secret.environment}.`);
  if (input.default !== undefined) notes.push(`[default: ${input.default}]`);
  return [flagLine(input), ...wrap(notes.join(' '), INDENT)];
}

function placeholderLines(): string[] {
  const rows = contextVariables.map((row) => ({
    placeholders: row.placeholders.join(' '),
    variables: 'gitlab' in row ? `${row.github}, or ${row.gitlab}` : row.github,
  }));
  const width = Math.max(...rows.map((row) => row.placeholders.length));
  return rows.map((row) => `  ${row.placeholders.padEnd(width)}  ${row.variables}`);
}

export function helpText(program: CommandLineProgram): string {
  const secrets = program.inputs.filter((input) => input.secret !== undefined);
  const others = program.inputs.filter((input) => input.secret === undefined);
  return [
    `Usage: ${program.name} ${program.usage}`,
    '',
    ...wrap(program.purpose, ''),
    '',
    'Inputs (the action inputs of the same names; --name=value works too; a bare',
    'true/false flag means true):',
    ...others.flatMap(describe),
    '',
    'Credentials (better in the environment: a flag lands in the shell history and',
    'the process list):',
    ...secrets.flatMap(describe),
    '',
    'Options:',
    `  --json       Print the ${program.json.output} result (a JSON array, every entry) on stdout.`,
    '  --verbose    Show debug lines.',
    '  --help       Show this help.',
    '  --version    Show the version.',
    '',
    ...wrap(
      'Placeholders: {date}, {time} and {datetime} always work; the others take their value from ' +
        'GitHub Actions or GitLab CI variables:',
      '',
    ),
    ...placeholderLines(),
    '',
    ...wrap(
      'The log goes to stderr; stdout carries only --json. HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured.',
      '',
    ),
    '',
    'Exit codes: 0 every file arrived; 1 some file failed, or the run did;',
    '            2 bad input (before any request).',
  ].join('\n');
}
