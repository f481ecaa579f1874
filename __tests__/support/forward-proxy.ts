/**
 * A real forward proxy on loopback for the proxy tests: CONNECT tunnels and absolute-URI HTTP
 * forwarding, a hosts table of its own (names only it can resolve), optional Basic authentication,
 * and a refusal mode; it counts what it carried.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface ForwardProxyOptions {
  /** Names only this proxy resolves, e.g. `{ 'fake-dropbox.test': '127.0.0.1' }`. Others resolve as usual. */
  hosts?: Record<string, string>;
  /** Require `Proxy-Authorization: Basic` with these; anything else gets 407. */
  credentials?: { user: string; password: string };
  /** Answer every CONNECT and forwarded request with this status instead of carrying it (e.g. 403). */
  refuseWith?: number;
}

export interface ForwardProxyCounts {
  /** CONNECT tunnels opened to a target. */
  tunnels: number;
  /** Absolute-URI requests forwarded. */
  forwarded: number;
  /** Requests (CONNECT or forwarded) answered 407. */
  authRequired: number;
  /** Requests refused with `refuseWith`. */
  refused: number;
  /** Bytes carried from client to target, through tunnels and forwarded bodies. */
  bytesUp: number;
  /** Bytes carried from target to client. */
  bytesDown: number;
}

/** The part of a response #admit needs: a ServerResponse, or a tunnel's raw socket dressed as one. */
interface Answer {
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: string): unknown;
}

export class ForwardProxy {
  readonly counts: ForwardProxyCounts = {
    tunnels: 0,
    forwarded: 0,
    authRequired: 0,
    refused: 0,
    bytesUp: 0,
    bytesDown: 0,
  };
  /** `host:port` of every target asked for, in order (CONNECT authority or absolute URI's host). */
  readonly targets: string[] = [];
  /** Every Proxy-Authorization value received (the tests' own throwaway credentials). */
  readonly authorizations: string[] = [];
  readonly #server: Server;
  readonly #options: ForwardProxyOptions;
  readonly #sockets = new Set<Duplex>();
  #port = 0;

  private constructor(options: ForwardProxyOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      if (!this.#admit(req, res)) return;
      this.#forward(req, res);
    });
    this.#server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) =>
      this.#tunnel(req, client, head),
    );
    this.#server.on('connection', (socket: Socket) => this.#track(socket));
  }

  static async start(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
    const proxy = new ForwardProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.#server.address();
    if (address === null || typeof address === 'string') throw new Error('unexpected proxy address');
    proxy.#port = address.port;
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:PORT`, or with `user:password@` for a proxy that requires them. */
  url(credentials?: { user: string; password: string }): string {
    const auth = credentials
      ? `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@`
      : '';
    return `http://${auth}127.0.0.1:${this.#port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#server.closeAllConnections();
    await closed;
  }

  #track(socket: Duplex): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** Checks credentials and the refusal mode; answers and returns false when the request is not carried. */
  #admit(req: IncomingMessage, res: Answer): boolean {
    const given = req.headers['proxy-authorization'];
    if (given !== undefined) this.authorizations.push(given);
    const { credentials, refuseWith } = this.#options;
    if (credentials) {
      const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
      if (given !== expected) {
        this.counts.authRequired += 1;
        res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="test proxy"', Connection: 'close' });
        res.end('Proxy Authentication Required');
        return false;
      }
    }
    if (refuseWith !== undefined) {
      this.counts.refused += 1;
      res.writeHead(refuseWith, { Connection: 'close' });
      res.end('Refused by the test proxy');
      return false;
    }
    return true;
  }

  #resolve(host: string): string {
    return this.#options.hosts?.[host.toLowerCase()] ?? host;
  }

  #tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.#track(client);
    client.on('error', () => client.destroy());
    const authority = req.url ?? '';
    this.targets.push(authority);
    const reply: Answer = {
      writeHead: (status: number, headers: Record<string, string> = {}): void => {
        const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
        client.write(`HTTP/1.1 ${status} Proxy Answer\r\n${lines.join('')}`);
      },
      end: (body = ''): void => {
        client.end(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      },
    };
    if (!this.#admit(req, reply)) return;
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
    if (!match) {
      reply.writeHead(400);
      reply.end('CONNECT needs host:port');
      return;
    }
    const upstream = netConnect(Number(match[2]), this.#resolve(match[1]!));
    this.#track(upstream);
    let established = false;
    upstream.once('connect', () => {
      established = true;
      this.counts.tunnels += 1;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.on('data', (piece: Buffer) => (this.counts.bytesUp += piece.length));
      upstream.on('data', (piece: Buffer) => (this.counts.bytesDown += piece.length));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (!established && client.writable) {
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      } else {
        client.destroy();
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  #forward(req: IncomingMessage, res: ServerResponse): void {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('A forward proxy needs an absolute URI');
      return;
    }
    this.targets.push(target.host);
    this.counts.forwarded += 1;
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: this.#resolve(target.hostname),
        port: target.port === '' ? 80 : Number(target.port),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('data', (piece: Buffer) => (this.counts.bytesDown += piece.length));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    req.on('data', (piece: Buffer) => (this.counts.bytesUp += piece.length));
    req.pipe(upstream);
  }
}
