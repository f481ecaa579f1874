/**
 * One input of an action as data: what action.yml declares, what readInputs defaults, what every front
 * door masks, and how the command line takes it as a flag. Each action's inputs are a table of these.
 */

export interface InputSpec {
  /** The action input's name, and the command-line flag's (`--chunk-size`). */
  readonly name: string;
  /** action.yml's description, word for word. */
  readonly description: string;
  /** The default readInputs applies to an empty value; absent when there is none (or the input is required). */
  readonly default?: string;
  readonly required?: true;
  /** A credential: masked before anything runs; on the command line, also read from this variable. */
  readonly secret?: { readonly environment: string };
  /** Several lines (one glob pattern each): a repeated flag gives one line per use. */
  readonly multiLine?: true;
  /** true or false: a bare flag means true. */
  readonly boolean?: true;
  /** How `--help` shows the value, such as `<folder>`. */
  readonly value: string;
  /** What the command line adds to the description. */
  readonly commandLine?: string;
}
