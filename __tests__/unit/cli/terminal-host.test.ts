import { describe, expect, test } from '@jest/globals';
import { TerminalHost, terminalOptions, type TerminalOptions } from '../../../src/cli/terminal-host.ts';
import { data, text } from '../../../src/report/summary.ts';

/** A stream that keeps what is written, as a terminal (or a pipe) would receive it. */
class RecordingStream {
  written = '';
  readonly isTTY: boolean;
  readonly columns: number;

  constructor(isTTY: boolean, columns = 80) {
    this.isTTY = isTTY;
    this.columns = columns;
  }

  write(piece: string): boolean {
    this.written += piece;
    return true;
  }
}

const plain: TerminalOptions = { verbose: false, color: false, live: false };

function host(
  options: Partial<TerminalOptions> = {},
  tty = false,
): { host: TerminalHost; stream: RecordingStream } {
  const stream = new RecordingStream(tty);
  return { host: new TerminalHost(stream, { ...plain, ...options }), stream };
}

describe('terminalOptions', () => {
  test.each([
    ['a terminal', true, {}, { color: true, live: true }],
    ['a pipe or a file', false, {}, { color: false, live: false }],
    ['NO_COLOR set: no colour, still live', true, { NO_COLOR: '1' }, { color: false, live: true }],
    ['NO_COLOR empty counts as unset', true, { NO_COLOR: '' }, { color: true, live: true }],
    ['a dumb terminal', true, { TERM: 'dumb' }, { color: false, live: false }],
  ])('%s', (_name, isTTY, environment, expected) => {
    expect(terminalOptions({ isTTY, write: () => true }, environment, false)).toEqual({
      verbose: false,
      ...expected,
    });
  });
});

describe('TerminalHost: a readable log', () => {
  test('groups become headings, lines stay lines, debug only with --verbose', async () => {
    const quiet = host();
    await quiet.host.group('Upload', async () => {
      quiet.host.info('uploaded /a.txt (1 B)');
      quiet.host.debug('a detail');
    });
    expect(quiet.stream.written).toBe('== Upload ==\nuploaded /a.txt (1 B)\n');
    const verbose = host({ verbose: true });
    verbose.host.debug('a detail');
    expect(verbose.stream.written).toBe('debug: a detail\n');
  });

  test('annotations as level: title: message, in colour only when asked', () => {
    const bare = host();
    bare.host.annotate({ level: 'error', title: 'Out of space', message: 'Free some.' });
    bare.host.annotate({ level: 'warning', message: 'No files.' });
    bare.host.annotate({ level: 'notice', title: 'T', message: 'M' });
    expect(bare.stream.written).toBe('error: Out of space: Free some.\nwarning: No files.\nnotice: T: M\n');
    const coloured = host({ color: true });
    coloured.host.annotate({ level: 'error', title: 'Out of space', message: 'Free some.' });
    expect(coloured.stream.written).toBe('\x1b[31merror:\x1b[39m \x1b[1mOut of space\x1b[22m: Free some.\n');
  });

  test('fail prints an error line and is remembered, for the exit code', () => {
    const { host: terminal, stream } = host();
    terminal.fail('2 of 3 file(s) did not reach Dropbox.');
    expect(stream.written).toBe('error: 2 of 3 file(s) did not reach Dropbox.\n');
    expect(terminal.failures).toEqual(['2 of 3 file(s) did not reach Dropbox.']);
  });

  test('outputs are kept, not printed', () => {
    const { host: terminal, stream } = host();
    terminal.setOutput('files', '[]');
    expect(terminal.outputs).toEqual({ files: '[]' });
    expect(stream.written).toBe('');
  });

  test('the summary as a plain-text table, with the terminal’s note on left-out rows', async () => {
    const { host: terminal, stream } = host({ summary: { maxRows: 1, everyRowIn: '--json lists them all' } });
    await terminal.summary({
      blocks: [
        { kind: 'heading', text: 'Dropbox upload' },
        {
          kind: 'table',
          columns: [{ title: 'Local path' }],
          rows: [[[data('a')]], [[data('b')]]],
          rowNoun: 'files',
          everyRowIn: 'the outputs list them all',
        },
        { kind: 'paragraph', parts: [text('done')] },
      ],
    });
    expect(stream.written).toBe(
      '\nDropbox upload\n==============\n\nLocal path\n----------\na\n' +
        'Showing the first 1 of 2 files (1 left out); --json lists them all.\n\ndone\n\n',
    );
  });
});

describe('TerminalHost: outside text and secrets', () => {
  const hostile = 'x\n::error title=forged::owned\r::add-mask::y\u001b[2J';

  test('no line, heading, annotation or failure carries a control character or starts a command', async () => {
    const { host: terminal, stream } = host();
    await terminal.group(hostile, async () => {
      terminal.info(hostile);
      terminal.info(`::warning::${hostile}`);
      terminal.annotate({ level: 'error', title: hostile, message: hostile });
      terminal.fail(hostile);
      terminal.progress(`::notice::${hostile}`);
    });
    const lines = stream.written.split('\n').slice(0, -1);
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex
      expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(line).not.toMatch(/^\s*::/);
    }
    expect(lines[1]).toBe('x\\n::error title=forged::owned\\r::add-mask::y\\x1b[2J');
  });

  test('a registered secret is shown as *** wherever it appears, the longest first', async () => {
    const { host: terminal, stream } = host({ verbose: true });
    terminal.setSecret('');
    terminal.setSecret('tok');
    terminal.setSecret('tok-long-secret');
    terminal.info('value tok-long-secret and tok');
    terminal.debug('tok');
    terminal.annotate({ level: 'warning', title: 'tok', message: 'x tok-long-secret' });
    terminal.fail('tok');
    await terminal.group('tok', async () => undefined);
    await terminal.summary({ blocks: [{ kind: 'paragraph', parts: [data('tok')] }] });
    expect(stream.written).not.toContain('tok');
    expect(stream.written).toContain('value *** and ***');
    expect(terminal.mask('{"a":"tok-long-secret"}')).toBe('{"a":"***"}');
  });

  test('a secret that holds a control character is hidden before and after escaping', () => {
    const { host: terminal, stream } = host();
    terminal.setSecret('a\nb');
    terminal.info('x a\nb y');
    expect(stream.written).toBe('x *** y\n');
  });
});

describe('TerminalHost: progress', () => {
  test('not on a terminal: a plain line every 10 s', () => {
    const { host: terminal, stream } = host();
    expect(terminal.progressIntervalMs).toBe(10_000);
    terminal.progress('3 of 10 files');
    expect(stream.written).toBe('3 of 10 files\n');
  });

  test('on a terminal: one live line, every second, that log lines pass above', async () => {
    const { host: terminal, stream } = host({ live: true }, true);
    expect(terminal.progressIntervalMs).toBe(1000);
    terminal.progress('1 of 10 files');
    terminal.progress('2 of 10 files');
    terminal.info('uploaded /a');
    terminal.progress('3 of 10 files');
    await terminal.group('Report', async () => terminal.info('done'));
    expect(stream.written).toBe(
      '\r\x1b[2K1 of 10 files' +
        '\r\x1b[2K2 of 10 files' +
        '\r\x1b[2Kuploaded /a\n2 of 10 files' +
        '\r\x1b[2K3 of 10 files' +
        '\r\x1b[2K== Report ==\ndone\n',
    );
  });

  test('a live line is cut to the terminal’s width, so it never wraps', () => {
    const stream = new RecordingStream(true, 30);
    const terminal = new TerminalHost(stream, { ...plain, live: true });
    terminal.progress('x'.repeat(100));
    expect(stream.written).toBe(`\r\x1b[2K${'x'.repeat(28)}…`);
  });

  test('close ends the live line', () => {
    const { host: terminal, stream } = host({ live: true }, true);
    terminal.progress('1 of 2');
    terminal.close();
    terminal.close();
    expect(stream.written).toBe('\r\x1b[2K1 of 2\r\x1b[2K');
  });
});
