/** The runner's way of passing inputs: INPUT_<NAME> variables, read untrimmed. */
import * as core from '@actions/core';

/**
 * Untrimmed: the input readers trim by themselves, and reject a value of only whitespace, which
 * core.getInput would turn into '' and so into the default (a destination of "   " would upload to the root).
 */
export function actionInput(name: string): string {
  return core.getInput(name, { trimWhitespace: false });
}
