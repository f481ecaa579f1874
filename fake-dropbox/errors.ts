/**
 * Response values and the error bodies Dropbox sends (docs §3). Handlers throw `ApiFailure` so that
 * any check, however deep, can end the request with the exact wire shape.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A union member without a value: `{".tag": tag}`. */
export const tagged = (tag: string): JsonObject => ({ '.tag': tag });

export interface Reply {
  status: number;
  /** Serialised as JSON with `Content-Type: application/json` (`null` included). */
  json?: Json;
  /** Sent as `text/plain; charset=utf-8`. */
  text?: string;
  /** A file streamed as `application/octet-stream` (downloads). */
  file?: string;
  /** Only these bytes of `file`, inclusive (a 206 answer to a Range request). */
  fileRange?: { start: number; end: number };
  headers?: Record<string, string>;
  /** What the request log records as `errorTag`. */
  errorTag?: string;
}

export class ApiFailure extends Error {
  readonly reply: Reply;
  constructor(reply: Reply) {
    super(reply.errorTag ?? `HTTP ${reply.status}`);
    this.reply = reply;
  }
}

export function ok(json: Json, headers?: Record<string, string>): Reply {
  return headers ? { status: 200, json, headers } : { status: 200, json };
}

/** Dropbox answers malformed requests with 400 and a plain-text body, not JSON. */
export function badRequest(route: string, message: string): ApiFailure {
  return new ApiFailure({
    status: 400,
    text: `Error in call to API function "${route}": ${message}`,
    errorTag: 'bad_request',
  });
}

/**
 * The chain of tags in a route error. UploadWriteFailed carries its WriteError inline under `reason`,
 * every other nested union under the key named after its tag.
 */
export function tagChain(error: JsonObject): string[] {
  const tags: string[] = [];
  let node: Json | undefined = error;
  while (isObject(node)) {
    const tag: Json | undefined = node['.tag'];
    if (typeof tag !== 'string') break;
    tags.push(tag);
    const nested: Json | undefined = node[tag];
    node = isObject(nested) ? nested : node['reason'];
  }
  return tags;
}

/** 409 with the route's own error union in the standard envelope. */
export function routeError(error: JsonObject): ApiFailure {
  return new ApiFailure(routeErrorReply(error));
}

export function routeErrorReply(error: JsonObject): Reply {
  const tags = tagChain(error);
  // Observed summaries end in "/", "/." or "/.."; clients must match on `.tag`, never on this string.
  const summary = `${tags.join('/')}/${tags.length > 1 ? '..' : '.'}`;
  return { status: 409, json: { error_summary: summary, error }, errorTag: tags.join('/') };
}

const AUTH_SUMMARIES: Record<string, string> = {
  invalid_access_token: 'invalid_access_token/..',
  expired_access_token: 'expired_access_token/.',
  missing_scope: 'missing_scope/',
};

export function authError(tag: string, extra: JsonObject = {}): ApiFailure {
  return new ApiFailure({
    status: 401,
    json: { error_summary: AUTH_SUMMARIES[tag] ?? `${tag}/.`, error: { '.tag': tag, ...extra } },
    errorTag: tag,
  });
}

export type RateLimitReason = 'too_many_requests' | 'too_many_write_operations';

/**
 * 429 with a JSON RateLimitError and the Retry-After header that rate-limited responses always carry.
 * `retry_after` is left out of the lock-contention body, as in the captured response.
 */
export function rateLimitReply(
  reason: RateLimitReason,
  retryAfterSeconds: number,
  withField: boolean,
): Reply {
  const error: JsonObject = { reason: { '.tag': reason } };
  if (withField) error['retry_after'] = retryAfterSeconds;
  const summary = reason === 'too_many_requests' ? 'too_many_requests/..' : 'too_many_write_operations/.';
  return {
    status: 429,
    json: { error_summary: summary, error },
    headers: { 'Retry-After': String(retryAfterSeconds) },
    errorTag: reason,
  };
}

/** Namespace lock contention on a single commit. */
export function writeLockContention(): ApiFailure {
  return new ApiFailure(rateLimitReply('too_many_write_operations', 1, false));
}

/** The token endpoint uses the RFC 6749 shape, not the API envelope. */
export function oauthError(error: string, description?: string): ApiFailure {
  const json: JsonObject = { error };
  if (description !== undefined) json['error_description'] = description;
  // split always gives at least one piece.
  return new ApiFailure({ status: 400, json, errorTag: error.split(':')[0]! });
}

export function invalidClient(): ApiFailure {
  return oauthError('invalid_client: Invalid client_id or client_secret');
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
