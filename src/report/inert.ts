/**
 * The one escaping function for outside text (file names, paths, server messages) on its way into a log
 * line, an annotation or a terminal: it can show what the text holds, never act on the runner.
 */

/**
 * Characters that break a line, move the cursor, or reorder what is shown: C0 and C1 controls, DEL, the
 * Unicode line and paragraph separators, and the bidirectional overrides and isolates that can make a
 * name read as something else.
 */
// eslint-disable-next-line no-control-regex
const unsafeCharacter = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function shown(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  return (
    named[character] ??
    (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/**
 * The runner takes a line as a workflow command when, after leading white space, it starts with `::`
 * (or the older `##[`): such a start is shown with its first character escaped.
 */
const commandStart = /^(\s*)(::|##\[)/;

/**
 * `text` on one line, with every unsafe character shown as an escape (`\n`, `\x1b`, `\u202e`) and no
 * way to start a workflow command. Applied by every host to every line it prints, so no caller can
 * forget it.
 */
export function inert(text: string): string {
  return text
    .replace(unsafeCharacter, shown)
    .replace(commandStart, (_match, space: string, start: string) => `${space}\\${start}`);
}
