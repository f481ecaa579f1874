/**
 * Reading a Dropbox error response: its JSON body is a nest of tagged unions (`path` → `reason` →
 * `conflict` → `file`), and a fact such as `correct_offset` or `retry_after` may sit at any depth.
 */

/** Deeper than any union Dropbox nests; a guard against a hostile or cyclic body. */
const MAX_DEPTH = 10;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function tagOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value['.tag'] === 'string' ? value['.tag'] : undefined;
}

/** Every `.tag` in the body, outermost first. */
export function collectTags(value: unknown, depth = 0): string[] {
  if (depth > MAX_DEPTH || !isRecord(value)) return [];
  const own = tagOf(value);
  const nested = Object.values(value).flatMap((child) => collectTags(child, depth + 1));
  return own === undefined ? nested : [own, ...nested];
}

/** The first object in the body whose `.tag` is `tag`. */
export function findTagged(value: unknown, tag: string, depth = 0): Record<string, unknown> | undefined {
  if (depth > MAX_DEPTH || !isRecord(value)) return undefined;
  if (tagOf(value) === tag) return value;
  for (const child of Object.values(value)) {
    const found = findTagged(child, tag, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first value of a field named `key` anywhere in the body. */
export function findField(value: unknown, key: string, depth = 0): unknown {
  if (depth > MAX_DEPTH || !isRecord(value)) return undefined;
  if (key in value) return value[key];
  for (const child of Object.values(value)) {
    const found = findField(child, key, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * How long Dropbox asks a client to wait: the `Retry-After` header (whole seconds), else the body's
 * `retry_after` (429 bodies carry it too). Headers may be a fetch `Headers` or a plain object.
 */
export function retryAfterSeconds(headers: unknown, body: unknown): number | undefined {
  let raw: unknown;
  if (isRecord(headers)) {
    const get: unknown = headers['get'];
    raw =
      typeof get === 'function'
        ? (get as (name: string) => unknown).call(headers, 'retry-after')
        : (headers['retry-after'] ?? headers['Retry-After']);
  }
  if (typeof raw === 'string' && /^\d+$/.test(raw.trim())) return Number(raw);
  const fromBody = findField(body, 'retry_after');
  return typeof fromBody === 'number' && Number.isFinite(fromBody) ? fromBody : undefined;
}

/** An HTTP error answer: what retry.ts and explain.ts both read from it. */
export interface HttpFailure {
  status: number;
  headers: unknown;
  /** Parsed JSON body, or the plain-text body. */
  body: unknown;
}

/**
 * The SDK's DropboxResponseError, or anything shaped like it (the fake server, a second bundled copy of
 * the SDK, a batch entry's failure re-shaped as a 409): a numeric `status` and an `error` body.
 * Duck-typed so that an error from another realm is still read as the HTTP answer it is.
 */
export function httpFailureOf(error: unknown): HttpFailure | undefined {
  if (!isRecord(error) || typeof error['status'] !== 'number' || !('error' in error)) return undefined;
  return { status: error['status'], headers: error['headers'], body: error['error'] };
}
