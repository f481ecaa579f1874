/**
 * Questions on a terminal, or on piped input (tests, scripts): one answer per line. A hidden question
 * (the app secret) does not echo what is typed when the input is a terminal.
 */
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

export interface Prompter {
  ask(question: string): Promise<string>;
  /** Like ask, but a terminal does not show the answer. */
  askHidden(question: string): Promise<string>;
  close(): void;
}

export class InputEnded extends Error {
  constructor(question: string) {
    super(`The input ended before an answer to "${question.replace(/^\d+\.\s*/, '').trim()}".`);
    this.name = 'InputEnded';
  }
}

/** Forwards to the real output unless muted: readline echoes typed characters through it. */
class MutableOutput extends Writable {
  muted = false;
  private readonly target: NodeJS.WritableStream;

  constructor(target: NodeJS.WritableStream) {
    super();
    this.target = target;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (!this.muted) this.target.write(chunk);
    done();
  }
}

export function createPrompter(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  output: NodeJS.WritableStream,
): Prompter {
  const echo = new MutableOutput(output);
  const terminal = input.isTTY === true;
  const lines: Interface = createInterface({ input, output: echo, terminal });
  // The iterator buffers lines that arrive before they are asked for (piped input comes all at once).
  const pending = lines[Symbol.asyncIterator]();

  const read = async (question: string, hidden: boolean): Promise<string> => {
    output.write(question);
    echo.muted = hidden;
    try {
      const next = await pending.next();
      if (next.done === true) throw new InputEnded(question);
      return String(next.value);
    } finally {
      if (hidden && terminal) output.write('\n');
      echo.muted = false;
    }
  };

  return {
    ask: (question) => read(question, false),
    askHidden: (question) => read(question, true),
    close: () => lines.close(),
  };
}
