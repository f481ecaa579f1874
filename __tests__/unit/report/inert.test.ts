import { describe, expect, test } from '@jest/globals';
import { inert } from '../../../src/report/inert.ts';

describe('inert: outside text can be shown, never act', () => {
  test.each([
    ['plain', 'dist/app.js', 'dist/app.js'],
    ['unicode and spaces kept', 'résumé 2026 – final/файл 名.txt', 'résumé 2026 – final/файл 名.txt'],
    ['a line break before a command', 'a\n::error::forged', 'a\\n::error::forged'],
    ['carriage return', 'a\r::add-mask::x', 'a\\r::add-mask::x'],
    ['CRLF', 'a\r\n::stop-commands::x', 'a\\r\\n::stop-commands::x'],
    ['tab', 'a\tb', 'a\\tb'],
    ['escape sequence', 'a\u001b[31mred', 'a\\x1b[31mred'],
    ['DEL and a C1 control', 'a\u007fb\u0085c', 'a\\x7fb\\x85c'],
    ['unicode line separator', 'a\u2028::error::x', 'a\\u2028::error::x'],
    ['bidirectional override', 'invoice\u202efdp.exe', 'invoice\\u202efdp.exe'],
    ['a command at the start', '::error title=x::forged', '\\::error title=x::forged'],
    ['after leading white space', '  ::warning::x', '  \\::warning::x'],
    ['the older command form', '##[error]x', '\\##[error]x'],
    ['percent escapes are left as text', 'a%0A::error::x', 'a%0A::error::x'],
    ['a pipe', 'a|b', 'a|b'],
    ['"::" in the middle is harmless', 'uploaded /a::b', 'uploaded /a::b'],
  ])('%s', (_name, text, expected) => {
    expect(inert(text)).toBe(expected);
  });

  test('the result is one line that no runner reads as a command', () => {
    for (const hostile of [
      '\n::error::x',
      '\r\n::add-mask::y',
      '\u2029::stop-commands::z',
      '\u0085::group::g',
    ]) {
      const shown = inert(`name${hostile}`);
      expect(shown.split(/\r\n|\r|\n/)).toHaveLength(1);
      expect(shown.trimStart().startsWith('::')).toBe(false);
    }
  });
});
