/**
 * One files/download request, streamed with fetch (API reference §9): the argument in `Dropbox-API-Arg`,
 * an optional single `Range`, and the answer checked before a byte of it is used: the status, the
 * `Content-Range`, and `Dropbox-API-Result` against the listing.
 */
import { DropboxResponseError } from 'dropbox';
import { streamingFetch, type AttemptContext, type DropboxApi } from '../dropbox/client.ts';
import type { PlannedDownload } from '../model.ts';
import { SourceChangedError, UnexpectedAnswerError } from './download-errors.ts';

export const DOWNLOAD_URL = 'https://content.dropboxapi.com/2/files/download';

/**
 * JSON fit for an HTTP header: 0x7F and everything beyond ASCII as `\uXXXX` escapes, as the SDKs write
 * `Dropbox-API-Arg` (reference §1, §9); fetch refuses header characters above 0xFF outright.
 */
export function headerSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Inclusive byte positions, as a Range header names them. */
export interface ByteSpan {
  start: number;
  end: number;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

/** An error answer as the SDK would have thrown it, so retry.ts and explain.ts read it the same way. */
async function responseError(response: Response): Promise<DropboxResponseError<unknown>> {
  const text = await response.text().catch(() => '');
  let body: unknown = text;
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    try {
      body = JSON.parse(text);
    } catch {
      // Kept as text: explain.ts reads plain-text bodies too.
    }
  }
  return new DropboxResponseError(response.status, response.headers, body);
}

/** The revision and size `Dropbox-API-Result` gives, when it is there and readable. */
function answeredMetadata(response: Response): { rev?: string; size?: number } | undefined {
  const header = response.headers.get('dropbox-api-result');
  if (header === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { rev, size } = parsed as { rev?: unknown; size?: unknown };
  return {
    ...(typeof rev === 'string' ? { rev } : {}),
    ...(typeof size === 'number' ? { size } : {}),
  };
}

/** A download's body as it arrives, piece by piece; each piece counts as progress for request-timeout. */
export interface DownloadBody {
  /** The next piece, or undefined once the body has ended. */
  next(): Promise<Uint8Array | undefined>;
  /** Lets go of what was not read (and so of the connection); a body read to its end has nothing left. */
  close(): void;
}

/**
 * Sends the request for `span` of the file (or for all of it, without a Range, when `span` is undefined)
 * and returns its body. Throws a DropboxResponseError for an error answer, SourceChangedError when the
 * answer is for another revision or size than the listing's, and UnexpectedAnswerError for an answer that
 * is not the one asked for.
 */
export async function openDownload(
  api: DropboxApi,
  context: AttemptContext,
  file: PlannedDownload,
  span: ByteSpan | undefined,
): Promise<DownloadBody> {
  const token = api.tokens.currentToken();
  const headers: Record<string, string> = {
    ...api.commonHeaders,
    'Dropbox-API-Arg': headerSafeJson({ path: file.dropboxPath }),
  };
  if (token !== undefined) headers['Authorization'] = `Bearer ${token}`;
  if (span !== undefined) headers['Range'] = `bytes=${span.start}-${span.end}`;
  const response = await streamingFetch(DOWNLOAD_URL, { method: 'POST', headers, signal: context.signal });
  if (response.status >= 300) throw await responseError(response);
  try {
    checkAnswer(response, file, span);
  } catch (error) {
    await response.body?.cancel().catch(() => undefined);
    throw error;
  }
  return bodyOf(response, context);
}

/**
 * The body read straight from fetch's stream: no Node stream in between, whose buffering would keep each
 * piece alive longer and cost a hop per piece (a GiB arrives in tens of thousands of pieces).
 */
function bodyOf(response: Response, context: AttemptContext): DownloadBody {
  const reader = response.body?.getReader();
  let ended = reader === undefined;
  return {
    async next() {
      if (ended || reader === undefined) return undefined;
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return undefined;
      }
      context.touch();
      return value;
    },
    close() {
      if (ended) return;
      ended = true;
      reader?.cancel().catch(() => undefined);
    },
  };
}

function checkAnswer(response: Response, file: PlannedDownload, span: ByteSpan | undefined): void {
  const answered = answeredMetadata(response);
  if (
    answered !== undefined &&
    ((answered.size !== undefined && answered.size !== file.size) ||
      (file.rev !== undefined && answered.rev !== undefined && answered.rev !== file.rev))
  ) {
    throw new SourceChangedError(
      file.dropboxPath,
      { size: file.size, ...(file.rev === undefined ? {} : { rev: file.rev }) },
      answered,
    );
  }
  if (span === undefined) {
    if (response.status !== 200)
      throw new UnexpectedAnswerError(file.dropboxPath, `HTTP ${response.status} to a request without Range`);
    return;
  }
  // Only a 206 for exactly the bytes asked for (reference §9, "Safe client behaviour").
  if (response.status !== 206) {
    throw new UnexpectedAnswerError(
      file.dropboxPath,
      `HTTP ${response.status} to a request for bytes ${span.start}-${span.end}, expected 206`,
    );
  }
  const contentRange = response.headers.get('content-range') ?? '';
  const match = CONTENT_RANGE.exec(contentRange);
  if (
    match === null ||
    Number(match[1]) !== span.start ||
    Number(match[2]) !== span.end ||
    (match[3] !== '*' && Number(match[3]) !== file.size)
  ) {
    throw new UnexpectedAnswerError(
      file.dropboxPath,
      `Content-Range "${contentRange.slice(0, 80)}" to a request for bytes ${span.start}-${span.end} of ${file.size}`,
    );
  }
}
