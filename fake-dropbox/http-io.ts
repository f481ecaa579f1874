import type { IncomingMessage } from 'node:http';
import { Args } from './args.ts';
import { badRequest } from './errors.ts';
import type { RequestLogEntry } from './types.ts';

/** RPC and OAuth bodies are small JSON/form documents; anything bigger is a client bug. */
const SMALL_BODY_LIMIT = 16 * 1024 * 1024;

const UPLOAD_CONTENT_TYPES = ['application/octet-stream', 'text/plain; charset=dropbox-cors-hack'];
const RPC_CONTENT_TYPES = ['application/json', 'text/plain; charset=dropbox-cors-hack'];

export async function readSmallBody(
  req: AsyncIterable<Buffer>,
  log: RequestLogEntry,
  route: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    log.bodyBytes = size;
    if (size <= SMALL_BODY_LIMIT) chunks.push(chunk);
  }
  if (size > SMALL_BODY_LIMIT) throw badRequest(route, 'request body: too large');
  return Buffer.concat(chunks);
}

/** Reads and discards whatever the handler did not read, so the client can read our answer. */
export async function drainBody(req: IncomingMessage, log: RequestLogEntry): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      log.bodyBytes += chunk.length;
    });
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', () => resolve());
    req.resume();
  });
}

function normalisedContentType(req: IncomingMessage): string | undefined {
  return req.headers['content-type']?.trim().replace(/;\s*/g, '; ').toLowerCase();
}

/** The argument of an RPC route: a JSON body. `null` for void-argument routes. */
export function rpcArgs(route: string, req: IncomingMessage, body: Buffer, voidArg: boolean): Args | null {
  const contentType = normalisedContentType(req);
  if (body.length === 0 && contentType === undefined && voidArg) return null;
  if (body.length > 0) {
    const base = contentType?.split(';')[0];
    if (
      contentType === undefined ||
      (base !== 'application/json' && !RPC_CONTENT_TYPES.includes(contentType))
    ) {
      throw badRequest(
        route,
        `Bad HTTP "Content-Type" header: "${req.headers['content-type'] ?? ''}".  Expecting one of ${RPC_CONTENT_TYPES.map((type) => `"${type}"`).join(', ')}.`,
      );
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(route, 'request body: could not decode input as JSON');
  }
  if (voidArg) {
    if (value !== null) throw badRequest(route, 'request body: expected null');
    return null;
  }
  return new Args(route, 'request body', value);
}

export function checkUploadContentType(route: string, req: IncomingMessage): void {
  const contentType = normalisedContentType(req);
  if (contentType === undefined || !UPLOAD_CONTENT_TYPES.includes(contentType)) {
    throw badRequest(
      route,
      `Bad HTTP "Content-Type" header: "${req.headers['content-type'] ?? ''}".  Expecting one of ${UPLOAD_CONTENT_TYPES.map((type) => `"${type}"`).join(', ')}.`,
    );
  }
}

/** Content routes take their argument from the Dropbox-API-Arg header, or an `arg` URL parameter. */
export function contentArgs(route: string, req: IncomingMessage, url: URL): Args {
  const header = req.headers['dropbox-api-arg'];
  const param = url.searchParams.get('arg');
  const [where, raw] =
    typeof header === 'string' ? ['HTTP header "Dropbox-API-Arg"', header] : ['URL parameter "arg"', param];
  if (raw === null)
    throw badRequest(route, 'Must provide HTTP header "Dropbox-API-Arg" or URL parameter "arg".');
  let value: unknown;
  try {
    // Header values must be ASCII: clients escape everything else as \uXXXX.
    if (where.startsWith('HTTP') && /[^\x20-\x7e]/.test(raw)) throw new Error('not ASCII');
    value = JSON.parse(raw);
  } catch {
    throw badRequest(route, `${where}: could not decode input as JSON`);
  }
  return new Args(route, where, value);
}

/** Best-effort path and session id for the request log, before any validation. */
export function describeArgs(log: RequestLogEntry, value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const commit = record['commit'] as Record<string, unknown> | undefined;
  const cursor = record['cursor'] as Record<string, unknown> | undefined;
  const path = record['path'] ?? commit?.['path'];
  if (typeof path === 'string') log.path = path;
  const sessionId = cursor?.['session_id'];
  if (typeof sessionId === 'string') log.sessionId = sessionId;
}
