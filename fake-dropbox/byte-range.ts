/**
 * The `Range` header of a files/download request, read as the fake answers it (API reference §9,
 * "Range requests"; RFC 9110 §14 for what the reference leaves open).
 */

export type RangeRequest =
  /** No Range header, or one the fake ignores: the whole file, 200. */
  | { kind: 'whole' }
  /** One satisfiable range, inclusive, already clamped to the file: 206 with Content-Range. */
  | { kind: 'single'; start: number; end: number }
  /** Starts at or past the end of the file (every range of an empty file does). */
  | { kind: 'unsatisfiable' };

const DIGITS = /^\d+$/;

/**
 * Single ranges follow Dropbox's own clients: `bytes=a-b` and `bytes=a-` (JS `rangeHeader`, Go
 * `SetRange`), with an end past the file clamped to its last byte as RFC 9110 §14.1.2 says. The
 * suffix form `bytes=-n` is answered as RFC 9110 defines it; the reference calls it less proven, so
 * the action never sends it.
 *
 * Multi-range requests have no source at all ("Do not send them"), so the fake takes the one answer
 * RFC 9110 §14.2 always allows a server: it ignores the header and sends the whole file with 200. A
 * client that sent one and does not insist on a 206 whose Content-Range matches then writes wrong
 * bytes, which its tests catch. A header that is not valid `bytes=` syntax is ignored the same way.
 *
 * An unsatisfiable range is uncertain on the live server (reference §9, "Could not confirm" 1): the
 * 2026 Go and Python helpers expect a 409 whose summary starts with `range/not_satisfiable`, an older
 * client expects 416. The fake answers the 409 the official helpers are written against; the reference's
 * safe client behaviour (no Range for an empty file, never past `size - 1`) never meets it.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'whole' };
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (match === null) return { kind: 'whole' };
  const specs = (match[1] ?? '').split(',').map((spec) => spec.trim());
  if (specs.length !== 1) return { kind: 'whole' };
  const bounds = (specs[0] ?? '').split('-');
  if (bounds.length !== 2) return { kind: 'whole' };
  const [first = '', last = ''] = bounds;
  if (first === '') {
    if (!DIGITS.test(last)) return { kind: 'whole' };
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'single', start: Math.max(0, size - suffix), end: size - 1 };
  }
  if (!DIGITS.test(first) || (last !== '' && !DIGITS.test(last))) return { kind: 'whole' };
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return { kind: 'single', start, end };
}
