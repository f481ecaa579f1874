import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { BandwidthCaps } from './bandwidth.ts';
import { authenticate, authorizationValue, bearerToken, tokenHint } from './bearer.ts';
import { sleep } from './sleep.ts';
import type { HandlerContext, ServerState } from './context.ts';
import { ApiFailure, rateLimitReply, routeError, type Json, type Reply } from './errors.ts';
import { Faults } from './faults.ts';
import {
  checkUploadContentType,
  contentArgs,
  describeArgs,
  drainBody,
  readSmallBody,
  rpcArgs,
} from './http-io.ts';
import { handleAuthorizePage } from './authorize-page.ts';
import { namespaceFor } from './namespaces.ts';
import { handleTokenRequest, tokenParams } from './oauth.ts';
import { ROUTES } from './routes.ts';
import { spoolBody } from './spool.ts';
import { removeFile } from './store.ts';
import type { FaultAction, RequestLogEntry } from './types.ts';

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  log: RequestLogEntry;
  /** A `lost-response` fault: do the work, then hang up instead of answering. */
  loseResponse: boolean;
  /** The fault that fired on this request; the body faults act while a download's bytes go out. */
  fault?: FaultAction;
}

/**
 * The HTTP side: one loopback server for all three Dropbox hosts (routing is by path only), with the
 * request log, fault injection and latency wrapped around the route handlers.
 */
export class DropboxHttpServer {
  readonly requests: RequestLogEntry[] = [];
  readonly faults = new Faults();
  readonly #state: ServerState;
  readonly #abort: AbortController;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Caps on request bodies (the client's upstream). */
  readonly #caps: BandwidthCaps;
  /** Caps on download bodies (the client's downstream): the same rates, pipes of their own. */
  readonly #downloadCaps: BandwidthCaps;
  #seq = 0;
  #closing = false;
  /** Requests being carried out now (not those refused for maxConcurrentRequests). */
  #working = 0;

  constructor(state: ServerState, abort: AbortController) {
    this.#state = state;
    this.#abort = abort;
    this.#caps = new BandwidthCaps(state.options);
    this.#downloadCaps = new BandwidthCaps(state.options);
    // No request timeout: multi-GiB uploads over a slow pipe are legitimate here.
    this.#server = createServer({ requestTimeout: 0 }, (req, res) => {
      void this.#handle(req, res);
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  listen(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        const address = this.#server.address();
        if (address === null || typeof address === 'string') reject(new Error('unexpected server address'));
        else resolve(`http://127.0.0.1:${address.port}`);
      });
    });
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#abort.abort();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-dropbox.invalid');
    const route = url.pathname.replace(/^\/(2\/)?/, '');
    const log: RequestLogEntry = { seq: ++this.#seq, route, status: 0, bodyBytes: 0, at: Date.now() };
    this.requests.push(log);
    if (typeof req.headers.range === 'string') log.range = req.headers.range;
    const fault = this.faults.take(route, log.seq);
    if (fault) log.fault = fault.kind;
    const exchange: Exchange = {
      req,
      res,
      log,
      loseResponse: fault?.kind === 'lost-response',
      ...(fault ? { fault } : {}),
    };
    if (this.#working >= this.#state.options.maxConcurrentRequests) {
      await this.#respond(exchange, rateLimitReply('too_many_requests', 1, true)).catch((error: unknown) =>
        this.#fail(exchange, error),
      );
      return;
    }
    this.#working += 1;
    res.once('close', () => (this.#working -= 1));
    try {
      if (fault?.kind === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'stall') {
        await sleep(fault.ms, this.#state.signal);
        if (clientGone(exchange)) return;
      }
      if (fault?.kind === 'expire-token') {
        const token = bearerToken(authorizationValue(req, url));
        if (token !== undefined) this.#state.tokens.expireAccessToken(token);
      }
      const reply = fault ? faultReply(fault) : undefined;
      await this.#respond(exchange, reply ?? (await this.#dispatch(route, url, req, log, fault)));
    } catch (error) {
      if (error instanceof ApiFailure) {
        await this.#respond(exchange, error.reply).catch((inner: unknown) => this.#fail(exchange, inner));
      } else {
        await this.#fail(exchange, error);
      }
    }
  }

  async #fail(exchange: Exchange, error: unknown): Promise<void> {
    if (this.#closing || clientGone(exchange)) {
      // req.socket is already null when the connection went away mid-body; destroy() copes with both.
      exchange.req.destroy();
      return;
    }
    console.error('fake-dropbox: internal error on', exchange.log.route, error);
    await this.#respond(exchange, {
      status: 500,
      text: 'Internal Server Error',
      errorTag: 'internal_error',
    }).catch(() => exchange.req.socket.destroy());
  }

  async #dispatch(
    route: string,
    url: URL,
    req: IncomingMessage,
    log: RequestLogEntry,
    fault?: FaultAction,
  ): Promise<Reply> {
    const state = this.#state;
    // The browser page of the OAuth flow (www.dropbox.com): the only GET here.
    if (route === 'oauth2/authorize' && req.method === 'GET')
      return handleAuthorizePage(url.searchParams, state.tokens);
    if (req.method !== 'POST') {
      return {
        status: 405,
        text: `Use POST for "${url.pathname}".`,
        headers: { Allow: 'POST' },
        errorTag: 'method',
      };
    }
    if (route === 'oauth2/token') {
      const body = await readSmallBody(this.#body(req), log, route);
      const params = tokenParams({
        query: url.searchParams,
        contentType: req.headers['content-type'],
        body,
        authorization: req.headers.authorization,
      });
      log.tokenHint = tokenHint(params.get('refresh_token') ?? params.get('code'));
      return handleTokenRequest(params, state.tokens);
    }
    const spec = url.pathname.startsWith('/2/') ? ROUTES.get(route) : undefined;
    if (!spec) {
      return { status: 404, text: `Unknown API function: "${route}"`, errorTag: 'not_found' };
    }
    const authorization = authorizationValue(req, url);
    log.tokenHint = tokenHint(bearerToken(authorization));
    const token = authenticate(route, authorization, state.tokens, spec.scope);
    const store = namespaceFor(route, req, token, state);
    const ctx: HandlerContext = {
      route,
      state,
      log,
      store,
      token,
      ...(fault ? { fault } : {}),
      ...(log.range === undefined ? {} : { range: log.range }),
    };

    if (spec.style === 'rpc') {
      const args = rpcArgs(
        route,
        req,
        await readSmallBody(this.#body(req), log, route),
        spec.voidArg === true,
      );
      if (args) describeArgs(log, args.raw);
      return await spec.handle(ctx, args);
    }
    if (spec.style === 'download') {
      const args = contentArgs(route, req, url);
      describeArgs(log, args.raw);
      await drainBody(req, log);
      return await spec.handle(ctx, args);
    }
    checkUploadContentType(route, req);
    const args = contentArgs(route, req, url);
    describeArgs(log, args.raw);
    const body = await spoolBody(
      this.#body(req),
      state.storage.tempFile('req'),
      state.options.maxRequestBytes,
    );
    log.bodyBytes = body.size;
    try {
      if (body.tooLarge) throw routeError({ '.tag': 'payload_too_large' });
      const expected = args.optStr('content_hash');
      if (expected !== undefined) {
        if (!/^[0-9a-fA-F]{64}$/.test(expected))
          throw args.fail('content_hash', 'expected 64 hex characters');
        if (expected.toLowerCase() !== body.contentHash)
          throw routeError({ '.tag': 'content_hash_mismatch' });
      }
      return await spec.handle(ctx, args, body);
    } finally {
      // Handlers that keep the bytes have moved the file away; anything left is garbage.
      removeFile(body.file);
    }
  }

  /**
   * Streams `length` bytes of `file` from `start` as the body: through the body fault, if one fired, and
   * the download caps. After a `cut-body` the bytes sent so far are flushed and the socket destroyed.
   */
  async #sendFile(exchange: Exchange, file: string, start: number, length: number): Promise<void> {
    const { req, res, log } = exchange;
    const signal = this.#state.signal;
    const source: AsyncIterable<Buffer> =
      length > 0 ? createReadStream(file, { start, end: start + length - 1 }) : Readable.from([]);
    const cut = { happened: false };
    const altered = withBodyFault(source, exchange.fault, signal, cut);
    const body = this.#downloadCaps.active
      ? this.#downloadCaps.throttle(altered, req.socket, signal)
      : altered;
    log.responseBytes = 0;
    for await (const piece of body) {
      if (clientGone(exchange) || !(await writePiece(res, piece))) return;
      log.responseBytes += piece.length;
    }
    if (cut.happened) {
      // Flushed to the connection first, so the client gets the headers and exactly the bytes before the cut.
      res.flushHeaders();
      // A response corks its socket while it writes and uncorks it on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      const socket = req.socket;
      while (socket.writableLength > 0 && !socket.destroyed) await drainedOrClosed(socket);
      socket.destroy();
      return;
    }
    res.end();
  }

  /** The request body, read no faster than the bandwidth caps allow. */
  #body(req: IncomingMessage): AsyncIterable<Buffer> {
    return this.#caps.active ? this.#caps.throttle(req, req.socket, this.#state.signal) : req;
  }

  async #respond(exchange: Exchange, reply: Reply): Promise<void> {
    const { req, res, log } = exchange;
    await drainBody(req, log);
    await sleep(this.#state.options.latencyMs, this.#state.signal);
    if (reply.status >= 400 && reply.errorTag !== undefined) log.errorTag = reply.errorTag;
    if (clientGone(exchange)) return;
    if (exchange.loseResponse) {
      req.socket.destroy();
      return;
    }
    const headers: Record<string, string | number> = {
      'X-Dropbox-Request-Id': randomBytes(16).toString('hex'),
    };
    log.status = reply.status;
    if (reply.file !== undefined) {
      const start = reply.fileRange?.start ?? 0;
      const length =
        reply.fileRange === undefined ? statSync(reply.file).size : reply.fileRange.end - start + 1;
      headers['Content-Type'] = 'application/octet-stream';
      headers['Content-Length'] = length;
      res.writeHead(reply.status, { ...headers, ...reply.headers });
      await this.#sendFile(exchange, reply.file, start, length);
      return;
    }
    let body = '';
    if (reply.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(reply.json);
    } else if (reply.text !== undefined) {
      headers['Content-Type'] = 'text/plain; charset=utf-8';
      body = reply.text;
    }
    headers['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(reply.status, { ...headers, ...reply.headers });
    res.end(body);
  }
}

/**
 * A download's body as it leaves the server, with the body faults applied: bytes altered in flight
 * (`corrupt-body`), or the body held (`stall-body`) or ended (`cut-body`) after `afterBytes`. A cut ends
 * the stream early; #sendFile then hangs up.
 */
async function* withBodyFault(
  body: AsyncIterable<Buffer>,
  fault: FaultAction | undefined,
  signal: AbortSignal,
  cut: { happened: boolean },
): AsyncGenerator<Buffer> {
  let sent = 0;
  for await (const chunk of body) {
    let piece = chunk;
    if (fault?.kind === 'corrupt-body') {
      const at = (fault.atByte ?? 0) - sent;
      if (at >= 0 && at < piece.length) {
        piece = Buffer.from(piece);
        piece[at] = (piece[at] ?? 0) ^ 0xff;
      }
    }
    if (
      (fault?.kind === 'cut-body' || fault?.kind === 'stall-body') &&
      sent + piece.length > fault.afterBytes
    ) {
      const headLength = Math.max(0, fault.afterBytes - sent);
      if (headLength > 0) yield piece.subarray(0, headLength);
      sent += headLength;
      piece = piece.subarray(headLength);
      if (fault.kind === 'cut-body') {
        cut.happened = true;
        return;
      }
      await sleep(fault.ms, signal);
      // Fires once: the rest of the body flows.
      fault = undefined;
    }
    yield piece;
    sent += piece.length;
  }
}

/** Resolves when the stream's write buffer has drained, or when it closed (the client went away). */
function drainedOrClosed(stream: ServerResponse | Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
  });
}

/** Writes one piece, waiting while the connection's buffer is full; false once the client is gone. */
async function writePiece(res: ServerResponse, piece: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(piece)) await drainedOrClosed(res);
  return !res.destroyed;
}

function clientGone({ req, res }: Exchange): boolean {
  return res.destroyed || req.socket.destroyed;
}

/** The answer an injected fault gives instead of doing the work; undefined for faults that let it run. */
function faultReply(fault: FaultAction): Reply | undefined {
  if (fault.kind === 'rate-limit') {
    return rateLimitReply(fault.reason ?? 'too_many_requests', fault.retryAfterSeconds, true);
  }
  if (fault.kind !== 'status') return undefined;
  const reply: Reply = { status: fault.status, errorTag: `http_${fault.status}` };
  if (typeof fault.body === 'string') reply.text = fault.body;
  else if (fault.body !== undefined) reply.json = fault.body as Json;
  if (fault.headers) reply.headers = fault.headers;
  return reply;
}
